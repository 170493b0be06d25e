"""Audit trail: append-only triggers (surviving table rebuilds and letting the test database
reset), the streaming verifier naming the first broken event, and its fast digest."""

from __future__ import annotations

import io
import json
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from safeharbor.audit import guard
from safeharbor.audit.hashing import event_digest
from safeharbor.audit.models import AuditChain, AuditEvent
from safeharbor.audit.services import audit_record
from safeharbor.audit.verify import COLUMN_COUNT, fast_digest, sqlite_time, verify_chains
from safeharbor.core.actors import SYSTEM


def make_events(n: int = 5, agency_id: int | None = 7) -> list[AuditEvent]:
    return [
        audit_record(
            action="view",
            actor=SYSTEM,
            agency_id=agency_id,
            object_type="core_testing.specimen",
            object_id=i,
            fields=["name", "date_of_birth"] if i % 2 else [],
            reason="own",
        )
        for i in range(n)
    ]


@contextmanager
def guard_lifted():
    """Tamper as an attacker with raw database access would (inside the test transaction)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER audit_event_no_update")
            cursor.execute("DROP TRIGGER audit_event_no_delete")
    try:
        yield
    finally:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")
        else:
            guard.install()


@pytest.mark.django_db
def test_updates_and_deletes_of_audit_events_are_rejected():
    event = make_events(1)[0]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(reason="edited")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.get(pk=event.pk).reason == "own"


@pytest.mark.django_db
def test_truncate_is_rejected_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no TRUNCATE")
    make_events(1)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("TRUNCATE audit_auditevent")
    assert AuditEvent.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_guard_survives_a_table_rebuild_by_migrations():
    if connection.vendor == "sqlite":
        from safeharbor.audit.models import AuditEvent as Model

        with connection.schema_editor() as editor:
            editor._remake_table(Model)  # what SQLite migrations do for most alterations
        assert "audit_event_no_update" not in guard.installed()
    call_command("migrate", verbosity=0)
    assert {"audit_event_no_update"} <= guard.installed()
    event = make_events(1)[0]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(reason="edited")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_test_database_can_still_be_reset():
    make_events(3)
    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
    assert AuditEvent.objects.count() == 0


@pytest.mark.django_db
def test_intact_chains_verify_and_the_command_exits_zero():
    make_events(4, agency_id=1)
    make_events(3, agency_id=2)
    make_events(2, agency_id=None)
    result = verify_chains()
    assert result.ok and result.events >= 9 and result.chains >= 3
    out = io.StringIO()
    call_command("audit", "verify", stdout=out, stderr=io.StringIO())
    assert "Audit trail intact" in out.getvalue()


def _verify_fails_naming(seq: int, chain: str, words: str, event_id=None) -> None:
    with pytest.raises(CommandError) as excinfo:
        call_command("audit", "verify", stdout=io.StringIO(), stderr=io.StringIO())
    message = str(excinfo.value)
    assert excinfo.value.returncode == 1
    assert f"chain {chain}" in message and f"sequence {seq}" in message and words in message
    if event_id is not None:
        assert f"event id {event_id}" in message


@pytest.mark.django_db
def test_an_altered_event_is_named():
    events = make_events(5, agency_id=3)
    with guard_lifted():
        AuditEvent.objects.filter(pk=events[2].pk).update(object_id="999")
    _verify_fails_naming(3, "agency-3", "altered", events[2].pk)


@pytest.mark.django_db
def test_a_removed_event_is_named():
    events = make_events(5, agency_id=3)
    with guard_lifted():
        AuditEvent.objects.filter(pk=events[1].pk).delete()
    _verify_fails_naming(3, "agency-3", "missing")


@pytest.mark.django_db
def test_events_removed_from_the_end_are_found_through_the_head():
    events = make_events(5, agency_id=4)
    with guard_lifted():
        AuditEvent.objects.filter(pk__in=[events[3].pk, events[4].pk]).delete()
    _verify_fails_naming(4, "agency-4", "removed from its end")


@pytest.mark.django_db
def test_a_rewritten_link_is_named():
    events = make_events(3, agency_id=5)
    with guard_lifted():
        AuditEvent.objects.filter(pk=events[1].pk).update(prev_hash="f" * 64)
    _verify_fails_naming(2, "agency-5", "previous hash", events[1].pk)


@pytest.mark.django_db
def test_heads_can_be_kept_and_checked_later(tmp_path):
    make_events(2, agency_id=6)
    out = io.StringIO()
    call_command("audit", "heads", stdout=out)
    heads = json.loads(out.getvalue())
    assert heads["agency-6"]["seq"] == 2
    path = tmp_path / "heads.json"
    path.write_text(out.getvalue())
    call_command("audit", "verify", "--expect-heads", str(path), stdout=io.StringIO())
    # Rewrite the whole chain consistently (an attacker with the database can): only the
    # kept head shows it.
    with guard_lifted():
        AuditEvent.objects.filter(chain="agency-6").delete()
        AuditChain.objects.filter(key="agency-6").delete()
    make_events(2, agency_id=6)
    with pytest.raises(CommandError, match="rewritten"):
        call_command(
            "audit",
            "verify",
            "--expect-heads",
            str(path),
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "values",
    [
        {"actor": None, "agency_id": None, "fields": [], "reason": "", "request_id": ""},
        {
            "actor": SYSTEM,
            "agency_id": 3,
            "fields": ["b", "a"],
            "reason": 'q"uo\\te',
            "request_id": "r",
        },
        {
            "actor": None,
            "agency_id": 2,
            "fields": ["naïve", "日本"],
            "reason": "é\n",
            "request_id": "x",
        },
    ],
)
def test_the_fast_verifier_agrees_with_the_canonical_digest(values):
    """Events written by audit_record (hashed by hashing.event_digest) verify through the
    database-side formatting and the fast encoder, whatever their text holds."""
    from django.utils import timezone

    whole_second = timezone.now().replace(microsecond=0)
    from unittest import mock

    for moment in (None, whole_second):
        patcher = mock.patch("django.utils.timezone.now", return_value=moment) if moment else None
        if patcher:
            patcher.start()
        try:
            event = audit_record(
                action="update",
                actor=values["actor"],
                agency_id=values["agency_id"],
                object_type="survivors.person",
                object_id=42,
                fields=values["fields"],
                reason=values["reason"],
                request_id=values["request_id"],
            )
        finally:
            if patcher:
                patcher.stop()
        assert event.hash == event_digest(
            {
                f: getattr(event, f)
                for f in (
                    "chain",
                    "seq",
                    "occurred_at",
                    "actor_kind",
                    "actor_id",
                    "agency_id",
                    "action",
                    "object_type",
                    "object_id",
                    "fields",
                    "outcome",
                    "reason",
                    "request_id",
                )
            },
            event.prev_hash,
        )
    result = verify_chains()
    assert result.ok, [str(b) for b in result.breaks]
    assert result.events >= 2


@pytest.mark.parametrize(
    ("stored_at", "converter"),
    [("2026-01-02 03:04:05.678000", sqlite_time), ("2026-01-02T03:04:05.678Z", None)],
)
def test_fast_digest_matches_the_canonical_payload(stored_at, converter):
    at = datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)
    values = {
        "chain": "agency-3",
        "seq": 17,
        "occurred_at": at,
        "actor_kind": "user",
        "actor_id": 12,
        "agency_id": None,
        "action": "view",
        "object_type": "survivors.person",
        "object_id": "42",
        "fields": ["dob", "given_name", "naïve"],
        "outcome": "success",
        "reason": 'é"\\\n',
        "request_id": "r1",
    }
    prev = "a" * 64
    want = event_digest(values, prev)
    row = (
        1,
        "agency-3",
        17,
        stored_at,
        "user",
        12,
        None,
        "view",
        "survivors.person",
        "42",
        json.dumps(values["fields"]),
        "success",
        values["reason"],
        "r1",
        prev,
        want,
    )
    assert len(row) == COLUMN_COUNT
    assert fast_digest(row, prev, converter) == want
    assert sqlite_time("2026-01-02 03:04:05") == "2026-01-02T03:04:05.000Z"
