"""Duplicate detection and unduplicated counts across agencies."""
