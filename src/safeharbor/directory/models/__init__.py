"""Directory models: HSDS 3.0 objects and the platform's events."""

from .events import Event, EventQuerySet
from .hsds import (
    HSDSModel,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)

__all__ = [
    "Event",
    "EventQuerySet",
    "HSDSModel",
    "Language",
    "Location",
    "Organization",
    "Phone",
    "Schedule",
    "Service",
    "ServiceAtLocation",
    "Taxonomy",
    "TaxonomyTerm",
]
