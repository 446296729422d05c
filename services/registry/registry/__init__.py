"""Registry service: enterprise pushes, institution filing (备案) and the unfiled check."""
