"""Dashboards, performance measures, exports and public statistics."""
