"""Pure credit domain: penalties, credit files, the serious-dishonesty list (stdlib only)."""
