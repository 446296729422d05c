"""Pure read-side rules: event → public view, masking, labels, time travel (stdlib only)."""
