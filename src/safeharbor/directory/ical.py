"""Public events as iCalendar (RFC 5545), built with the ``icalendar`` package."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import timedelta

import icalendar
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .agenda import agenda_lines
from .choices import EventStatus
from .models import Event

PRODID = "-//SafeHarbor//Public events//EN"

ICAL_STATUS = {
    EventStatus.SCHEDULED: "CONFIRMED",
    EventStatus.COMPLETED: "CONFIRMED",
    EventStatus.POSTPONED: "TENTATIVE",
    EventStatus.CANCELLED: "CANCELLED",
}


def _vevent(event: Event, *, site_url: str, agenda: Sequence[str] = ()) -> icalendar.Event:
    item = icalendar.Event()
    item.add("uid", f"{event.uid}@safeharbor")
    item.add("dtstamp", timezone.now())
    item.add("last-modified", event.updated_at)
    item.add("sequence", event.sequence)
    if event.all_day:
        item.add("dtstart", event.local_start.date())
        end = event.local_end or (event.local_start + timedelta(days=1))
        item.add("dtend", end.date())
    else:
        item.add("dtstart", event.local_start)
        if event.local_end:
            item.add("dtend", event.local_end)
    item.add("summary", event.title)
    description = event.description
    if agenda:
        listed = "\n".join(f"- {line}" for line in agenda)
        heading = _("On the agenda:")
        description = f"{description}\n\n{heading}\n{listed}".strip()
    if event.participants:
        description = f"{description}\n\n{event.participants}".strip()
    if description:
        item.add("description", description)
    if event.place_text:
        item.add("location", event.place_text)
    item.add("status", ICAL_STATUS.get(event.status, "CONFIRMED"))
    item.add("url", f"{site_url.rstrip('/')}{event.get_absolute_url()}")
    return item


def calendar_for(events: Iterable[Event], *, name: str) -> bytes:
    """An iCalendar document of ``events`` with the time zones they use; each event's
    description includes its agenda (``directory.agenda``)."""
    events = list(events)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    with translation.override(translation.get_language() or settings.LANGUAGE_CODE):
        agendas = agenda_lines(event.pk for event in events)
        for event in events:
            calendar.add_component(
                _vevent(event, site_url=settings.SITE_URL, agenda=agendas.get(event.pk, ()))
            )
    calendar.add_missing_timezones()
    return calendar.to_ical()
