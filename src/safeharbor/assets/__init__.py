"""Seized property: custody chain, forfeiture and disposition."""
