"""Prometheus metrics shared by web processes, relays and consumers."""

from prometheus_client import Counter, Gauge, Histogram

REQUESTS = Counter("http_requests_total", "HTTP requests", ["service", "method", "endpoint",
                                                             "status"])
LATENCY = Histogram("http_request_seconds", "HTTP request latency", ["service", "endpoint"])
EVENTS_APPENDED = Counter("events_appended_total", "Events appended to the store", ["service"])
EVENTS_PUBLISHED = Counter("events_published_total", "Events produced to Kafka", ["topic"])
EVENTS_APPLIED = Counter("events_applied_total", "Events applied by consumers", ["group"])
EVENTS_DUPLICATE = Counter("events_duplicate_total", "Redelivered events ignored", ["group"])
EVENTS_GAP = Counter("events_version_gap_total", "Events whose stream version jumped", ["group"])
EVENTS_DEAD = Counter("events_dead_lettered_total", "Events sent to the dead-letter topic",
                      ["group"])
CONSUMER_LAG = Gauge("consumer_lag_events", "Store position minus consumer checkpoint",
                     ["group", "topic"])
