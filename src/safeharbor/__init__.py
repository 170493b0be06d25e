"""SafeHarbor: one platform for a city's response to sexual exploitation and trafficking."""

__version__ = "0.1.0"
