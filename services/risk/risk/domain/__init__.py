"""The risk domain: pure, standard library and shared.domain only."""
