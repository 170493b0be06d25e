"""The public "Legislative priorities" page: the City's objectives, the issue, the changes it
proposes with the statutes they concern, the bills it follows (status from their actions)
and events with those bills on the agenda. Sets no cookies; nothing internal is shown
(rationale, owner, notes and watchers stay on staff pages)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from safeharbor.directory.models import Event

from .models import AgendaItem
from .selectors import public_priorities, summarize


def _event_url(event: Event) -> str:
    try:
        return event.get_absolute_url()
    except NoReverseMatch:  # the public event page is optional
        return ""


def _ics_url(event: Event) -> str:
    try:
        return reverse("event-ics", args=[event.pk])
    except NoReverseMatch:
        return ""


@require_GET
def legislative_priorities(request: HttpRequest) -> HttpResponse:
    priorities = list(public_priorities())
    bill_ids: set[int] = set()
    for priority in priorities:
        priority.bill_summaries = [summarize(bill) for bill in priority.bills.all()]
        bill_ids.update(bill.pk for bill in priority.bills.all())
    events = (
        Event.objects.public()
        .filter(agenda_items__bill_id__in=bill_ids)
        .distinct()
        .order_by("-starts_at")
        .prefetch_related(
            Prefetch(
                "agenda_items",
                queryset=AgendaItem.objects.select_related("bill").order_by("order", "id"),
            )
        )
    )
    agenda: list[dict[str, Any]] = [
        {
            "event": event,
            "url": _event_url(event),
            "ics_url": _ics_url(event),
            "items": list(event.agenda_items.all()),
        }
        for event in events
    ]
    return render(
        request,
        "legislation/public/priorities.html",
        {"priorities": priorities, "agenda": agenda},
    )
