"""Database triggers that make audit events append-only.

PostgreSQL: row triggers reject every UPDATE and DELETE of ``audit_auditevent``; a statement
trigger rejects TRUNCATE unless the session set ``safeharbor.audit_reset = 'on'`` (only the
test suite's database reset does).

SQLite: a trigger rejects every UPDATE; DELETE is rejected unless the connection's
``safeharbor_audit_guard()`` function says a reset is in progress. That function exists only
inside SafeHarbor's own connections, so a DELETE from any other tool fails too ("no such
function").

SQLite rebuilds a table for many schema changes, which drops its triggers; ``install`` runs
after every ``migrate`` (post_migrate) and is idempotent, so the guard survives migrations.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import connections

TABLE = "audit_auditevent"
MESSAGE = "audit events are append-only"

_reset_allowed: ContextVar[bool] = ContextVar("safeharbor_audit_reset", default=False)

POSTGRES_SQL = [
    f"""
    CREATE OR REPLACE FUNCTION safeharbor_audit_append_only() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'TRUNCATE'
           AND coalesce(current_setting('safeharbor.audit_reset', true), '') = 'on' THEN
            RETURN NULL;
        END IF;
        RAISE EXCEPTION '{MESSAGE}: % on % is not allowed', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END;
    $$ LANGUAGE plpgsql
    """,
    f"DROP TRIGGER IF EXISTS audit_event_no_update ON {TABLE}",
    f"""CREATE TRIGGER audit_event_no_update BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION safeharbor_audit_append_only()""",
    f"DROP TRIGGER IF EXISTS audit_event_no_truncate ON {TABLE}",
    f"""CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON {TABLE}
        FOR EACH STATEMENT EXECUTE FUNCTION safeharbor_audit_append_only()""",
]

SQLITE_SQL = [
    f"""CREATE TRIGGER IF NOT EXISTS audit_event_no_update BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}: UPDATE is not allowed'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON {TABLE}
        WHEN safeharbor_audit_guard() BEGIN
        SELECT RAISE(ABORT, '{MESSAGE}: DELETE is not allowed'); END""",
]


def _guard_function() -> int:
    return 0 if _reset_allowed.get() else 1


def register_sqlite_function(sender: Any, connection: Any, **kwargs: Any) -> None:
    """connection_created: give every SQLite connection the guard function."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "safeharbor_audit_guard", 0, _guard_function, deterministic=False
        )


def install(using: str = "default") -> bool:
    """Create (or re-create) the triggers; returns False when the table does not exist yet."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if TABLE not in connection.introspection.table_names(cursor):
            return False
        statements = POSTGRES_SQL if connection.vendor == "postgresql" else SQLITE_SQL
        if connection.vendor not in {"postgresql", "sqlite"}:
            return False
        for statement in statements:
            cursor.execute(statement)
    return True


def installed(using: str = "default") -> set[str]:
    """Names of the guard triggers present (for checks and tests)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
                [TABLE],
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [TABLE]
            )
        return {row[0] for row in cursor.fetchall()}


def on_post_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    if getattr(sender, "label", None) == "audit":
        install(using)


@contextmanager
def audit_reset_allowed(using: str = "default") -> Iterator[None]:
    """Let a whole-database reset (the test suite's flush) empty the audit table.

    Never used by the application itself.
    """
    connection = connections[using]
    token = _reset_allowed.set(True)
    try:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET safeharbor.audit_reset = 'on'")
        yield
    finally:
        _reset_allowed.reset(token)
        if connection.vendor == "postgresql" and connection.connection is not None:
            with connection.cursor() as cursor:
                cursor.execute("RESET safeharbor.audit_reset")


def allow_reset_in_flush() -> None:
    """For the test suite: run Django's ``flush`` (how test databases are reset between
    transactional tests) inside ``audit_reset_allowed``."""
    from django.core.management.commands import flush

    if getattr(flush.Command.handle, "_audit_reset_allowed", False):
        return
    original = flush.Command.handle

    def handle(self: Any, **options: Any) -> Any:
        with audit_reset_allowed(options.get("database") or "default"):
            return original(self, **options)

    handle._audit_reset_allowed = True  # type: ignore[attr-defined]
    flush.Command.handle = handle
