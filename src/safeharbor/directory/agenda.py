"""What other areas put on an event's agenda, without the directory importing them.

The directory owns events and the public site; an area that puts things on an event's
agenda (legislation: bills at a hearing or a signing) registers an *agenda provider* in its
``AppConfig.ready``::

    from safeharbor.directory.agenda import register_agenda_provider
    register_agenda_provider("legislation", selectors.agenda_lines_for)

A provider takes event ids and returns, for each event it has something for, the agenda as
lines of text in the current language. The public event page, ``/events.ics`` and each
event's ``.ics`` show them; when an area changes an agenda it calls
``directory.services.event_agenda_changed`` so subscribed calendars fetch the event again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

__all__ = ["AgendaProvider", "agenda_lines", "register_agenda_provider"]

AgendaProvider = Callable[[Sequence[int]], Mapping[int, Sequence[str]]]

_providers: dict[str, AgendaProvider] = {}


def register_agenda_provider(name: str, provider: AgendaProvider) -> None:
    """Add (or replace) the provider called ``name``."""
    _providers[name] = provider


def agenda_lines(event_ids: Iterable[int]) -> dict[int, list[str]]:
    """Each event's agenda lines from every provider (in the providers' name order), for all
    the events at once: one call per provider, however many events."""
    ids = sorted(set(event_ids))
    lines: dict[int, list[str]] = {}
    if not ids:
        return lines
    for name in sorted(_providers):
        for event_id, provided in _providers[name](ids).items():
            if provided:
                lines.setdefault(event_id, []).extend(provided)
    return lines
