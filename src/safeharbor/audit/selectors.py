"""Reads of the audit trail for the auditor's pages."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet

from .models import AuditEvent


def events_filtered(filters: dict[str, Any]) -> QuerySet[AuditEvent]:
    """Events matching the cleaned filter form, newest first."""
    events = AuditEvent.objects.all()
    for name in ("actor_id", "action", "object_type", "object_id", "agency_id", "outcome"):
        value = filters.get(name)
        if value not in (None, ""):
            events = events.filter(**{name: value})
    if filters.get("since"):
        events = events.filter(occurred_at__gte=datetime.combine(filters["since"], time(), UTC))
    if filters.get("until"):
        end = datetime.combine(filters["until"], time(), UTC) + timedelta(days=1)
        events = events.filter(occurred_at__lt=end)
    return events.order_by("-occurred_at", "-id")
