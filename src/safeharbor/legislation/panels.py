"""The staff home panel: bills the signed-in person watches, with where each stands."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .models import Bill
from .selectors import summarize


def watched_bills(request: HttpRequest) -> dict[str, Any] | None:
    bills = (
        Bill.objects.filter(watches__user=request.user)
        .select_related("session")
        .prefetch_related("actions")[:10]
    )
    summaries = [summarize(bill) for bill in bills]
    if not summaries:
        return None
    return {"bills": summaries}
