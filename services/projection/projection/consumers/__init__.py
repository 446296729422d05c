"""Kafka consumers of the projection service (one per read model)."""
