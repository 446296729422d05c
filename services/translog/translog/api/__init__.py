"""HTTP edge of the transparency log (public, read only)."""
