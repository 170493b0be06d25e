"""Crash safety: SIGKILL in the middle of a CSV import and of a ledger posting, 20 times at
random moments, against a real file SQLite database and a real PostgreSQL database (created
and dropped here, never the test database); after each kill nothing is half-written, the
ledger balances and the audit chains verify (see ``crash_worker.py``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest

WORKER = Path(__file__).with_name("crash_worker.py")
KILLS = 20


def run_worker(database_url: str, workdir: Path, *, seed: int) -> dict:
    result = subprocess.run(
        [
            sys.executable,
            str(WORKER),
            database_url,
            str(workdir),
            "--kills",
            str(KILLS),
            "--seed",
            str(seed),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert lines, f"the worker printed no summary:\n{result.stdout[-2000:]}{result.stderr[-3000:]}"
    summary = json.loads(lines[-1])
    assert result.returncode == 0, "\n".join(summary["problems"]) or result.stderr[-3000:]
    return summary


def assert_survived(summary: dict) -> None:
    assert summary["problems"] == []
    assert summary["kills"] == KILLS
    # The kills really landed inside the work, and work was done between them.
    assert summary["killed_mid_operation"]["import"] >= 1
    assert summary["killed_mid_operation"]["ledger"] >= 1
    assert summary["receipts_committed"] >= 1
    assert summary["audit_verify"].startswith("Audit trail intact")


def test_sigkill_during_import_and_posting_on_a_file_sqlite_database(tmp_path):
    database = tmp_path / "crash.sqlite3"
    summary = run_worker(f"sqlite:///{database}", tmp_path, seed=11)
    assert_survived(summary)
    print("crash safety (SQLite file):", json.dumps(summary))


def _postgres_server() -> str | None:
    """The PostgreSQL server to use: the suite's own when it runs on PostgreSQL, else a
    local one if it answers; None when there is none."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        url = os.environ.get(
            "SAFEHARBOR_CRASH_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres"
        )
    try:
        import psycopg

        parts = urlsplit(url)
        admin = parts._replace(scheme="postgresql", path="/postgres").geturl()
        with psycopg.connect(admin, connect_timeout=3, autocommit=True):
            return admin
    except Exception:  # no server: the test is skipped, not failed
        return None


@pytest.fixture
def postgres_database():
    import psycopg

    admin = _postgres_server()
    if admin is None:
        pytest.skip("no PostgreSQL server reachable for the crash test")
    name = f"sh_reliab_crash_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlsplit(admin)._replace(scheme="postgres", path=f"/{name}").geturl()
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_sigkill_during_import_and_posting_on_a_postgresql_database(tmp_path, postgres_database):
    summary = run_worker(postgres_database, tmp_path, seed=23)
    assert_survived(summary)
    print("crash safety (PostgreSQL):", json.dumps(summary))
