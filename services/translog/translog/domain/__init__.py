"""The transparency log domain: pure, standard library and the kernel's Merkle code."""
