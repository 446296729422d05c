"""Pure rules of random inspections (standard library only)."""
