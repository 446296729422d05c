"""Command handlers, one module per use case; dependencies are passed by keyword."""
