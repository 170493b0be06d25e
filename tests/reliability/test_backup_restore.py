"""`safeharbor backup` and `restore`: a full round trip on SQLite and on PostgreSQL proves every
row of every table, and the audit hash chain, identical after restore; and the commands
refuse what they must refuse."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from safeharbor.accounts.models import Agency
from safeharbor.audit.hashing import event_digest
from safeharbor.audit.models import GENESIS_HASH

OTHER_KEY = "b3RoZXItYmFja3VwLWtleS1vdGhlci1iYWNrdXAta2V5"  # 33 bytes: not a valid key
WRONG_KEY = "d3Jvbmcta2V5LXdyb25nLWtleS13cm9uZy1rZXktd3I="  # 32 bytes, not the test key

AUDIT_COLUMNS = (
    "chain, seq, occurred_at, actor_kind, actor_id, agency_id, action, object_type, "
    "object_id, fields, outcome, reason, request_id, prev_hash, hash"
)

# Writes beyond the demo: text that stresses encodings, and events in several audit chains.
EXTRA_WRITES = """
from safeharbor.accounts.models import Agency
from safeharbor.audit.services import audit_record
for agency in Agency.objects.order_by("pk"):
    audit_record(action="view", agency_id=agency.pk, object_type="reliability.probe",
                 object_id="1", fields=["name"], reason="backup-round-trip")
agency = Agency.objects.order_by("pk").first()
agency.name = "Agencia de prueba — niños ✓ 'quoted' \\"double\\" <b>tag</b> \\u00e9\\u0301"
agency.save(update_fields=["name"])
audit_record(action="update", agency_id=None, object_type="reliability.probe", object_id="2")
"""


def run_cli(*args: str, database_url: str) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SAFEHARBOR_", "DJANGO_")) and k != "DATABASE_URL"
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "safeharbor.settings.test",
            "DATABASE_URL": database_url,
            "SAFEHARBOR_LOG": "WARNING",
        }
    )
    result = subprocess.run(
        [sys.executable, "-m", "safeharbor.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return result


def run_ok(*args: str, database_url: str) -> str:
    result = run_cli(*args, database_url=database_url)
    assert result.returncode == 0, f"{args}: {result.stdout}\n{result.stderr}"
    return result.stdout


def populate(database_url: str) -> None:
    """Migrate, load the demo and make the extra writes, in one process (start-up is slow)."""
    script = (
        "from django.core.management import call_command\n"
        "call_command('migrate', verbosity=0)\n"
        "call_command('load_demo', verbosity=0)\n" + EXTRA_WRITES
    )
    run_ok("shell", "--no-imports", "-c", script, database_url=database_url)


# --- reading a database directly, without Django, so nothing is hidden by a model ----------


def sqlite_snapshot(path: Path) -> dict[str, Any]:
    db = sqlite3.connect(path)
    try:
        tables = [
            name
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        schema = sorted(db.execute("SELECT type, name, sql FROM sqlite_master").fetchall())
        rows = {t: sorted(map(repr, db.execute(f'SELECT * FROM "{t}"'))) for t in tables}  # noqa: S608
        events = db.execute(f"SELECT {AUDIT_COLUMNS} FROM audit_auditevent").fetchall()  # noqa: S608
        heads = db.execute("SELECT key, last_seq, last_hash FROM audit_auditchain").fetchall()
    finally:
        db.close()
    return {"schema": schema, "rows": rows, "events": events, "heads": heads}


def postgres_snapshot(conninfo: dict[str, Any]) -> dict[str, Any]:
    import psycopg

    with psycopg.connect(**conninfo) as db:
        tables = [
            name
            for (name,) in db.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
                "AND table_type = 'BASE TABLE' ORDER BY table_name"
            )
        ]
        schema = db.execute(
            "SELECT table_name, column_name, data_type, is_nullable, column_default "
            "FROM information_schema.columns WHERE table_schema = 'public' "
            "ORDER BY table_name, column_name"
        ).fetchall()
        # Names and kinds, not definitions: PostgreSQL prints an equivalent CHECK or partial
        # index expression differently once it has been dumped and parsed again.
        constraints = db.execute(
            "SELECT conname, contype, conrelid::regclass::text FROM pg_constraint "
            "WHERE connamespace = 'public'::regnamespace ORDER BY conname"
        ).fetchall()
        indexes = db.execute(
            "SELECT indexname, tablename FROM pg_indexes WHERE schemaname = 'public' "
            "ORDER BY indexname"
        ).fetchall()
        triggers = db.execute(
            "SELECT tgname, tgrelid::regclass::text FROM pg_trigger WHERE NOT tgisinternal "
            "ORDER BY tgname"
        ).fetchall()
        sequences = db.execute(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public' "
            "ORDER BY sequencename"
        ).fetchall()
        rows = {
            t: sorted(map(repr, db.execute(f'SELECT * FROM "{t}"')))  # noqa: S608
            for t in tables
        }
        events = db.execute(f"SELECT {AUDIT_COLUMNS} FROM audit_auditevent").fetchall()  # noqa: S608
        heads = db.execute("SELECT key, last_seq, last_hash FROM audit_auditchain").fetchall()
    return {
        "schema": [schema, constraints, indexes, triggers, sequences],
        "rows": rows,
        "events": events,
        "heads": heads,
    }


def verify_audit_chains(events: list[tuple], heads: list[tuple]) -> int:
    """Recompute every hash from the stored values and follow every chain to its head."""
    by_chain: dict[str, list[dict[str, Any]]] = {}
    names = [c.strip() for c in AUDIT_COLUMNS.split(",")]
    for raw in events:
        event = dict(zip(names, raw, strict=True))
        moment = event["occurred_at"]
        if isinstance(moment, str):  # SQLite keeps UTC as text
            moment = datetime.fromisoformat(moment).replace(tzinfo=UTC)
        event["occurred_at"] = moment
        if isinstance(event["fields"], str):
            event["fields"] = json.loads(event["fields"])
        by_chain.setdefault(event["chain"], []).append(event)
    head_of = {key: (seq, digest) for key, seq, digest in heads}
    assert set(head_of) == set(by_chain)
    for chain, chain_events in by_chain.items():
        previous = GENESIS_HASH
        chain_events.sort(key=lambda e: e["seq"])
        for expected_seq, event in enumerate(chain_events, start=1):
            assert event["seq"] == expected_seq, f"{chain}: gap before #{event['seq']}"
            assert event["prev_hash"] == previous, f"{chain}#{event['seq']}: broken link"
            assert event["hash"] == event_digest(event, previous), f"{chain}#{event['seq']}"
            previous = event["hash"]
        assert head_of[chain] == (len(chain_events), previous), f"{chain}: head moved"
    return len(events)


def assert_identical(
    before: dict[str, Any], after: dict[str, Any], *, minimum_tables_with_rows: int = 10
) -> None:
    assert after["schema"] == before["schema"]
    assert list(after["rows"]) == list(before["rows"])
    with_rows = [t for t, rows in before["rows"].items() if rows]
    assert len(with_rows) >= minimum_tables_with_rows, with_rows  # the test has real data
    for table, rows in before["rows"].items():
        assert after["rows"][table] == rows, f"{table} differs after restore"
    assert sorted(after["events"]) == sorted(before["events"])
    assert sorted(after["heads"]) == sorted(before["heads"])
    chains = {event[0] for event in after["events"]}
    assert len(chains) >= 3 and "platform" in chains
    assert verify_audit_chains(after["events"], after["heads"]) > 20


def round_trip(
    tmp_path: Path,
    *,
    source_url: str,
    target_url: str,
    snapshot_source: Callable[[], dict[str, Any]],
    snapshot_target: Callable[[], dict[str, Any]],
    change_target: Callable[[str], None],
) -> None:
    populate(source_url)
    before = snapshot_source()
    backup = tmp_path / "safeharbor.shbk"
    out = run_ok("backup", str(backup), database_url=source_url)
    assert "Backed up" in out
    assert backup.stat().st_mode & 0o077 == 0, "the backup must be readable by its owner only"
    assert b"Portland" not in backup.read_bytes()  # sealed, not a readable dump

    out = run_ok("restore", str(backup), database_url=target_url)
    assert "Restored" in out
    assert_identical(before, snapshot_target())
    assert snapshot_source() == before  # backing up changed nothing

    # A second restore into the now non-empty database is refused, then forced.
    refused = run_cli("restore", str(backup), database_url=target_url)
    assert refused.returncode != 0 and "not empty" in refused.stderr
    change_target("UPDATE accounts_agency SET name = 'Changed after the backup'")
    change_target("UPDATE accounts_user SET full_name = 'Changed after the backup'")
    assert snapshot_target()["rows"] != before["rows"]
    run_ok("restore", "--force", str(backup), database_url=target_url)
    assert_identical(before, snapshot_target())


def test_sqlite_round_trip_restores_every_row_and_the_audit_chain(tmp_path):
    source, target = tmp_path / "source.sqlite3", tmp_path / "target.sqlite3"
    round_trip(
        tmp_path,
        source_url=f"sqlite:///{source}",
        target_url=f"sqlite:///{target}",
        snapshot_source=lambda: sqlite_snapshot(source),
        snapshot_target=lambda: sqlite_snapshot(target),
        change_target=lambda sql: sqlite_execute(target, sql),
    )


def sqlite_execute(path: Path, sql: str) -> None:
    db = sqlite3.connect(path)
    try:
        with db:
            db.execute(sql)
    finally:
        db.close()


def postgres_execute(conninfo: dict[str, Any], sql: str) -> None:
    import psycopg

    with psycopg.connect(**conninfo) as db:
        db.execute(sql)


def _server_conninfo() -> dict[str, Any]:
    params = connection.get_connection_params()
    keys = ("host", "port", "user", "password")
    return {k: params[k] for k in keys if params.get(k) not in (None, "")}


@pytest.fixture
def postgres_databases():
    """Two scratch databases on the test server, dropped afterwards."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (run the suite with DATABASE_URL=postgres://...)")
    import psycopg

    server = _server_conninfo()
    suffix = uuid.uuid4().hex[:8]
    names = [f"sh_backup_src_{suffix}", f"sh_backup_dst_{suffix}"]
    with psycopg.connect(**server, dbname="postgres", autocommit=True) as admin:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield server, names
    finally:
        with psycopg.connect(**server, dbname="postgres", autocommit=True) as admin:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.postgres_only
def test_postgres_round_trip_restores_every_row_and_the_audit_chain(tmp_path, postgres_databases):
    server, (source, target) = postgres_databases
    auth = server["user"] + (f":{server['password']}" if server.get("password") else "")
    base = f"postgres://{auth}@{server.get('host', '127.0.0.1')}:{server.get('port', 5432)}"
    round_trip(
        tmp_path,
        source_url=f"{base}/{source}",
        target_url=f"{base}/{target}",
        snapshot_source=lambda: postgres_snapshot({**server, "dbname": source}),
        snapshot_target=lambda: postgres_snapshot({**server, "dbname": target}),
        change_target=lambda sql: postgres_execute({**server, "dbname": target}, sql),
    )


# --- what the commands refuse, in process --------------------------------------------------


@pytest.fixture
def sealed_backup(tmp_path, db):
    """A sealed backup for the configured engine (its contents do not matter here)."""
    from safeharbor.core.backup import parse_backup_key, seal_stream

    path = tmp_path / "in-process.shbk"
    with open(path, "wb") as handle:
        seal_stream(
            io.BytesIO(b"synthetic dump " * 10_000),
            handle,
            engine=connection.vendor,
            key=parse_backup_key(),
            chunk_size=4096,
        )
    return path


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="the lock is SQLite's",
)
def test_sqlite_backup_gives_up_on_a_database_locked_too_long(tmp_path, db, monkeypatch):
    """The test's open transaction holds the shared in-memory database: no endless wait."""
    from safeharbor.core import backup

    monkeypatch.setattr(backup, "SQLITE_LOCK_WAIT_SECONDS", 0.2)
    Agency.objects.create(name="Uncommitted", slug="uncommitted", kind="city")
    with pytest.raises(CommandError, match="stayed locked"):
        call_command("backup", str(tmp_path / "locked.shbk"), stdout=io.StringIO())
    assert not list(tmp_path.iterdir())  # no partial file, no plaintext copy left behind


def test_backup_needs_its_key(tmp_path, db):
    with override_settings(BACKUP_KEY=""), pytest.raises(CommandError, match="BACKUP_KEY is not"):
        call_command("backup", str(tmp_path / "x.shbk"), stdout=io.StringIO())
    assert not (tmp_path / "x.shbk").exists()
    with override_settings(BACKUP_KEY=OTHER_KEY), pytest.raises(CommandError, match="33 bytes"):
        call_command("backup", str(tmp_path / "x.shbk"), stdout=io.StringIO())


def test_backup_never_overwrites_a_file(sealed_backup):
    before = sealed_backup.read_bytes()
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", str(sealed_backup), stdout=io.StringIO())
    assert sealed_backup.read_bytes() == before


def test_restore_refuses_a_database_that_is_not_empty(sealed_backup):
    agencies = Agency.objects.count()
    with pytest.raises(CommandError, match=r"not empty.*--force"):
        call_command("restore", str(sealed_backup), stdout=io.StringIO())
    assert Agency.objects.count() == agencies


def test_restore_refuses_a_wrong_key_or_an_altered_file_before_touching_anything(
    sealed_backup, tmp_path
):
    Agency.objects.create(name="Still here", slug="still-here", kind="city")
    with (
        override_settings(BACKUP_KEY=WRONG_KEY),
        pytest.raises(CommandError, match="different backup key"),
    ):
        call_command("restore", "--force", str(sealed_backup), stdout=io.StringIO())
    altered = tmp_path / "altered.shbk"
    blob = bytearray(sealed_backup.read_bytes())
    blob[len(blob) // 2] ^= 0xFF
    altered.write_bytes(bytes(blob))
    with pytest.raises(CommandError, match="altered or damaged"):
        call_command("restore", "--force", str(altered), stdout=io.StringIO())
    assert Agency.objects.filter(slug="still-here").exists()


def test_restore_refuses_a_backup_of_the_other_engine(tmp_path, db):
    from safeharbor.core.backup import parse_backup_key, seal_stream

    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    path = tmp_path / "other-engine.shbk"
    with open(path, "wb") as handle:
        seal_stream(io.BytesIO(b"dump"), handle, engine=other, key=parse_backup_key())
    with pytest.raises(CommandError, match=f"configured database is {connection.vendor}"):
        call_command("restore", "--force", str(path), stdout=io.StringIO())


def test_restore_of_a_missing_file_says_so(tmp_path, db):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("restore", str(tmp_path / "nowhere.shbk"), stdout=io.StringIO())


def test_settings_hold_a_valid_test_backup_key():
    from safeharbor.core.backup import parse_backup_key

    assert len(parse_backup_key(settings.BACKUP_KEY)) == 32
