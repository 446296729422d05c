"""Pure registry domain: value objects, the Institution aggregate and its rules (stdlib only)."""
