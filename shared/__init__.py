"""Kernel shared by every service: plumbing only, never business rules."""
