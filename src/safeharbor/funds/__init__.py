"""The restricted fund as a double-entry ledger."""
