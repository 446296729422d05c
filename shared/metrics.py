"""Prometheus metrics shared by web processes, relays and consumers.

Web apps serve them at /metrics; relay and consumer processes serve them on METRICS_PORT.
Consumer lag is computed from our own positions, not broker watermarks (the embedded broker's
are wrong): relay_published_position - consumer_applied_position, in nanoseconds of
event-store time (positions are time-based), plus the delay of the last applied event.
"""

import logging
import os

from prometheus_client import Counter, Gauge, Histogram, start_http_server

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
RELAY_POSITION = Gauge("relay_published_position", "Store position of the last published commit",
                       ["topic"])
OUTBOX_BACKLOG = Gauge("outbox_backlog_commits", "Unpublished commits seen by the relay "
                       "(capped at one batch)", ["topic"])
CONSUMER_POSITION = Gauge("consumer_applied_position", "Source store position of the last "
                          "event applied", ["group", "source"])
CONSUMER_DELAY = Gauge("consumer_event_delay_seconds", "Now minus the time of the last event "
                       "applied", ["group"])


RELAY_ACTIVE = Gauge("relay_active", "1 while this relay holds its service's relay lease "
                     "(the one publishing), 0 while standing by", ["topic"])

RELAY_PARKED = Gauge("relay_parked_commits", "Commits the broker refused, set aside with "
                     "their stream until an operator releases them (alert when > 0)", ["topic"])

EVENTS_QUARANTINED = Counter("readside_events_quarantined_total", "Events a projection could "
                             "not fold, set aside with their stream waiting (alert)", ["group"])

_serving: set[int] = set()


def serve_from_env() -> None:
    """Expose this process's metrics on METRICS_PORT (relays, consumers, the public site's
    web process), if set; once per process."""
    port = os.environ.get("METRICS_PORT")
    if port and int(port) not in _serving:
        _serving.add(int(port))
        start_http_server(int(port), addr=os.environ.get("METRICS_ADDR", "127.0.0.1"))
        logging.getLogger(__name__).info("metrics on :%s/metrics", port)
