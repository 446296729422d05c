"""Flask plumbing: app factory, problem+json errors, auth, idempotency, metrics, request
helpers, shared marshmallow fields, the problem schema for OpenAPI, lazy WSGI entries."""
