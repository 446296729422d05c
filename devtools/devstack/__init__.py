"""Local stack without Docker: embedded Kafka-protocol broker and MongoDB wire server."""
