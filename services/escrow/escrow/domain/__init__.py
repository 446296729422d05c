"""Pure escrow domain: policies, the institution's escrow aggregate and its rules (stdlib only)."""
