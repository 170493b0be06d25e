"""Home-page panels: overdue missing-person reports and cases waiting for approval to close."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from . import access, selectors
from .choices import CaseStatus
from .models import Case
from .services import can_approve_close


def missing_deadlines(request: HttpRequest) -> dict[str, Any] | None:
    """Shown to the assigned worker (scope: assigned) and supervisors (scope: agency)."""
    data = selectors.missing_deadlines(membership=request.membership)
    if not data["overdue"] and not data["due_soon"]:
        return None
    return data


def close_approvals(request: HttpRequest) -> dict[str, Any] | None:
    membership = request.membership
    if membership is None or membership.effective_scope != "agency":
        return None
    waiting = [
        case
        for case in access.visible(Case.objects.all(), membership, "approve")
        .filter(status=CaseStatus.CLOSE_REQUESTED)
        .select_related("person", "close_requested_by")
        .order_by("close_requested_at", "id")[:25]
        if can_approve_close(membership, case)
    ]
    return {"cases": waiting} if waiting else None
