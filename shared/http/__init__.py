"""Flask plumbing: app factory, problem+json errors, auth, idempotency, metrics."""
