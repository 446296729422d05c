"""MongoDB adapters: the object directory read model, seeds and snapshots."""
