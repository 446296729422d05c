"""MongoDB adapters of the read side: the inbox, read-model generations, directory queries."""
