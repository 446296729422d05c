"""Pure fire-safety domain: checklists, the inspection aggregate and its rules (stdlib only)."""
