"""Jurisdictions, statutes, bills, the city's priorities and positions."""
