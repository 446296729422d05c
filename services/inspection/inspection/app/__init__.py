"""Use cases: one module per command family, each on shared.commands.run."""
