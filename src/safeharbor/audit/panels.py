"""The home panel that tells supervisors emergency accesses are waiting for review."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from safeharbor.core.permissions.models import BreakGlassAccess


def break_glass_panel(request: HttpRequest) -> dict[str, Any] | None:
    membership = getattr(request, "membership", None)
    if membership is None:
        return None
    pending = BreakGlassAccess.objects.filter(
        agency_id=membership.agency_id, reviewed_at__isnull=True
    ).count()
    return {"pending": pending}
