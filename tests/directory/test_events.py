"""The events model and its services: time zones, all-day events, audit, permissions."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from safeharbor.audit.choices import ActorKind
from safeharbor.audit.models import AuditEvent
from safeharbor.directory.choices import EventStatus
from safeharbor.directory.models import Event
from safeharbor.directory.services import event_create, event_update

PACIFIC = ZoneInfo("America/Los_Angeles")

pytestmark = pytest.mark.django_db


def test_editor_creates_event_with_spanish_title_and_audit(make_staff):
    editor = make_staff("editor")
    event = event_create(
        actor=editor,
        title="Public hearing on trafficking bills",
        starts_at=datetime(2027, 3, 4, 18, 0),
        ends_at=datetime(2027, 3, 4, 20, 0),
        place="City Hall, Council Chambers",
        is_public=True,
        translations={"es": {"title": "Audiencia pública sobre proyectos de ley"}},
    )
    assert event.starts_at == datetime(2027, 3, 5, 2, 0, tzinfo=ZoneInfo("UTC"))
    assert event.local_start.hour == 18
    with translation.override("es"):
        assert Event.objects.get(pk=event.pk).title == "Audiencia pública sobre proyectos de ley"
    with translation.override("en"):
        assert Event.objects.get(pk=event.pk).title == "Public hearing on trafficking bills"
    audit = AuditEvent.objects.get(object_type="directory.event", object_id=str(event.pk))
    assert audit.action == "create"
    assert audit.actor_id == editor.pk


def test_spanish_falls_back_to_english_when_untranslated():
    event = event_create(
        actor=ActorKind.SYSTEM, title="Bill signing", starts_at=datetime(2027, 5, 1, 10)
    )
    with translation.override("es"):
        assert Event.objects.get(pk=event.pk).title == "Bill signing"


def test_all_day_event_runs_midnight_to_midnight_local():
    event = event_create(
        actor=ActorKind.SYSTEM,
        title="Awareness day",
        starts_at=datetime(2027, 1, 11, 9, 30),
        all_day=True,
    )
    assert event.local_start == datetime(2027, 1, 11, 0, 0, tzinfo=PACIFIC)
    assert event.local_end == datetime(2027, 1, 12, 0, 0, tzinfo=PACIFIC)
    assert event.start_date == date(2027, 1, 11)


def test_end_before_start_is_refused():
    with pytest.raises(ValidationError):
        event_create(
            actor=ActorKind.SYSTEM,
            title="Backwards",
            starts_at=datetime(2027, 1, 11, 10),
            ends_at=datetime(2027, 1, 11, 9),
        )


def test_database_constraint_backs_end_after_start():
    event = event_create(actor=ActorKind.SYSTEM, title="x", starts_at=datetime(2027, 1, 1, 10))
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(ends_at=datetime(2026, 1, 1, tzinfo=PACIFIC))


def test_unknown_time_zone_is_refused():
    with pytest.raises(ValidationError):
        event_create(
            actor=ActorKind.SYSTEM,
            title="Somewhere",
            starts_at=datetime(2027, 1, 11, 10),
            time_zone="Mars/Olympus",
        )


def test_update_bumps_sequence_and_audits_changed_fields(make_staff):
    editor = make_staff("editor")
    event = event_create(actor=editor, title="Forum", starts_at=datetime(2027, 2, 1, 18))
    event = event_update(
        actor=editor, event=event, changes={"status": EventStatus.POSTPONED, "title": "Forum"}
    )
    assert event.status == EventStatus.POSTPONED
    assert event.sequence == 1
    audit = AuditEvent.objects.filter(object_type="directory.event", action="update").get()
    assert audit.fields == ["status"]


def test_update_without_changes_writes_nothing(make_staff):
    editor = make_staff("editor")
    event = event_create(actor=editor, title="Forum", starts_at=datetime(2027, 2, 1, 18))
    event_update(actor=editor, event=event, changes={"title": "Forum"})
    assert not AuditEvent.objects.filter(object_type="directory.event", action="update").exists()


def test_caseworker_may_not_create_events(make_staff):
    with pytest.raises(PermissionDenied):
        event_create(actor=make_staff("caseworker"), title="No", starts_at=datetime(2027, 2, 1, 18))
    assert not Event.objects.exists()


def test_unknown_field_cannot_be_changed(make_staff):
    editor = make_staff("editor")
    event = event_create(actor=editor, title="Forum", starts_at=datetime(2027, 2, 1, 18))
    with pytest.raises(ValidationError):
        event_update(actor=editor, event=event, changes={"sequence": 9})
