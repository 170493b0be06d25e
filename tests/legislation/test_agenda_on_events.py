"""Bills put on an event's agenda after the event was made show on its public page, in
/events.ics and in its own .ics (through the directory's agenda provider hook), in the
visitor's language, and calendars are told the event changed."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from django.test import Client
from django.utils import translation

from safeharbor.audit.choices import ActorKind
from safeharbor.directory.agenda import agenda_lines
from safeharbor.directory.models import Event
from safeharbor.directory.services import event_create
from safeharbor.legislation import services

pytestmark = pytest.mark.django_db


def _unfolded(response) -> str:
    return response.content.decode().replace("\r\n ", "")


def _sequence(ics: str) -> int:
    return int(re.search(r"SEQUENCE:(\d+)", ics).group(1))


@pytest.fixture(autouse=True)
def _default_language_after():
    # A request to a Spanish page leaves Spanish active in this thread.
    yield
    translation.deactivate()


@pytest.fixture
def hearing(db):
    return event_create(
        actor=ActorKind.SYSTEM,
        kind="hearing",
        title="Synthetic committee hearing",
        description="A public hearing.",
        starts_at=datetime(2031, 3, 4, 15, 0),
        place="State Capitol, Hearing Room 50",
        is_public=True,
        translations={"es": {"title": "Audiencia sintética"}},
    )


def test_agenda_added_later_shows_on_the_page_and_in_both_calendars(hearing, bill):
    client = Client()
    before = _unfolded(client.get(f"/events/{hearing.pk}.ics"))
    assert "On the agenda" not in before
    assert "On the agenda" not in client.get(f"/events/{hearing.pk}/").content.decode()

    services.agenda_item_add(
        actor=ActorKind.SYSTEM,
        event=hearing,
        bill=bill,
        description_en="Public hearing and possible work session",
        description_es="Audiencia pública y posible sesión de trabajo",
    )

    page = client.get(f"/events/{hearing.pk}/").content.decode()
    assert "<h2>On the agenda</h2>" in page
    assert "<li>SB 77 — Public hearing and possible work session</li>" in page
    spanish = client.get(f"/es/events/{hearing.pk}/").content.decode()
    assert "<h2>En el orden del día</h2>" in spanish
    assert "SB 77 — Audiencia pública y posible sesión de trabajo" in spanish

    one = _unfolded(client.get(f"/events/{hearing.pk}.ics"))
    feed = _unfolded(client.get("/events.ics"))
    for ics in (one, feed):
        assert "On the agenda:\\n- SB 77 — Public hearing and possible work session" in ics
    # Subscribed calendars see a new revision and fetch the event again.
    assert _sequence(one) == _sequence(before) + 1
    feed_es = _unfolded(client.get("/events.ics?lang=es"))
    assert "SB 77 — Audiencia pública y posible sesión de trabajo" in feed_es


def test_agenda_removed_leaves_the_calendar(hearing, bill):
    item = services.agenda_item_add(actor=ActorKind.SYSTEM, event=hearing, bill=bill)
    assert agenda_lines([hearing.pk]) == {hearing.pk: ["SB 77"]}
    services.agenda_item_remove(actor=ActorKind.SYSTEM, item=item)
    assert agenda_lines([hearing.pk]) == {}
    assert Event.objects.get(pk=hearing.pk).sequence == 2
    ics = _unfolded(Client().get(f"/events/{hearing.pk}.ics"))
    assert "SB 77" not in ics


def test_the_feed_asks_for_every_agenda_at_once(hearing, bill, django_assert_max_num_queries):
    services.agenda_item_add(actor=ActorKind.SYSTEM, event=hearing, bill=bill)
    client = Client()
    with django_assert_max_num_queries(3) as queries:  # events, locations, agendas
        client.get("/events.ics")
    small = len(queries)
    for day in range(5, 9):
        event = event_create(
            actor=ActorKind.SYSTEM,
            title=f"Synthetic hearing {day}",
            starts_at=datetime(2031, 3, day, 15, 0),
            is_public=True,
        )
        services.agenda_item_add(actor=ActorKind.SYSTEM, event=event, bill=bill)
    with django_assert_max_num_queries(small):
        body = _unfolded(client.get("/events.ics"))
    assert body.count("On the agenda:") == 5
