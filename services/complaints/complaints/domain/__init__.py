"""The complaints domain: pure, standard library and shared.domain only."""
