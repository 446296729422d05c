"""Command handlers, one module per use case; dependencies come in one Context."""
