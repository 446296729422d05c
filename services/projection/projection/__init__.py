"""Projection service: public read models of the registry's events (directory, open data)."""
