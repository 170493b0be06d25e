"""REST API of the reports area."""
