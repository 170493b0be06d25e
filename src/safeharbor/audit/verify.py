"""Verify the audit hash chains, streaming: constant memory, one pass over the table.

Each chain must start at sequence 1 from the genesis hash, have no gaps, link every event to
the hash of the one before, carry the hash its own contents give, and end at the head that
``AuditChain`` records (so dropping the newest events shows too). The first event that
breaks a chain is reported with what is wrong.

The digest is recomputed with a fast encoder that produces exactly the bytes of
``hashing.event_digest`` (a test holds the two equal), reading raw rows to skip the ORM.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from hashlib import sha256
from json.encoder import encode_basestring_ascii as _esc  # type: ignore[attr-defined]

from django.db import connections

from .models import GENESIS_HASH

# Raw columns in insertion order (a plain table scan, no index walk). The time comes as text
# (SQLite stores "YYYY-MM-DD HH:MM:SS[.ffffff]" in UTC; PostgreSQL formats it) so no
# datetime objects are built.
SQLITE_SELECT = (
    "SELECT id, chain, seq, CAST(occurred_at AS TEXT), actor_kind, actor_id, agency_id, action,"
    " object_type, object_id, fields, outcome, reason, request_id, prev_hash, hash"
    " FROM audit_auditevent ORDER BY id"
)
POSTGRES_SELECT = (
    "SELECT id, chain, seq,"
    " to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'),"
    " actor_kind, actor_id, agency_id, action, object_type, object_id, fields::text, outcome,"
    " reason, request_id, prev_hash, hash FROM audit_auditevent ORDER BY id"
)
COLUMN_COUNT = 16


@dataclass
class Break:
    """The first event that breaks a chain."""

    chain: str
    seq: int | None
    event_id: int | None
    problem: str

    def __str__(self) -> str:
        where = f"event id {self.event_id}, " if self.event_id is not None else ""
        return f"chain {self.chain}: {where}sequence {self.seq}: {self.problem}"


@dataclass
class Result:
    events: int = 0
    chains: int = 0
    breaks: list[Break] = field(default_factory=list)
    heads: dict[str, tuple[int, str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.breaks


_fields_cache: dict[str, str] = {}


def _fields_json(raw: str | None) -> str:
    """The stored JSON list re-encoded compactly, as ``json.dumps`` in the digest does.
    Lists of field names repeat endlessly, so each distinct text is encoded once."""
    if raw is None or raw == "[]":
        return "[]"
    cached = _fields_cache.get(raw)
    if cached is None:
        cached = json.dumps(list(json.loads(raw)), separators=(",", ":"))
        if len(_fields_cache) < 10_000:
            _fields_cache[raw] = cached
    return cached


def sqlite_time(value: str) -> str:
    """``hashing.format_time`` of SQLite's stored UTC text."""
    if len(value) > 19:
        return f"{value[:10]}T{value[11:19]}.{value[20:23]}Z"
    return f"{value[:10]}T{value[11:19]}.000Z"


def fast_digest(row: tuple, prev_hash: str, time_text: Callable[[str], str] | None = None) -> str:
    """The event's hash from a raw row (``*_SELECT`` order): the same bytes as
    ``hashing.event_digest`` builds with ``json.dumps``, assembled directly."""
    (_id, chain, seq, at, kind, actor, agency, action, otype, oid, fields, outcome, reason, rid) = (
        row[:14]
    )
    payload = (
        f'{{"action":{_esc(action)},"actor_id":{"null" if actor is None else actor},'
        f'"actor_kind":{_esc(kind)},"agency_id":{"null" if agency is None else agency},'
        f'"at":"{time_text(at) if time_text else at}","chain":{_esc(chain)},'
        f'"fields":{_fields_json(fields)},"object_id":{_esc(oid)},'
        f'"object_type":{_esc(otype)},"outcome":{_esc(outcome)},"reason":{_esc(reason)},'
        f'"request_id":{_esc(rid)},"seq":{seq}}}'
    )
    return sha256((prev_hash + payload).encode()).hexdigest()


def _batches(using: str, batch_size: int) -> Iterator[list[tuple]]:
    connection = connections[using]
    connection.ensure_connection()
    # A server-side cursor on PostgreSQL: rows stream instead of loading the table.
    with connection.chunked_cursor() as cursor:
        cursor.execute(POSTGRES_SELECT if connection.vendor == "postgresql" else SQLITE_SELECT)
        while True:
            rows = cursor.fetchmany(batch_size)
            if not rows:
                return
            yield rows


_MISSING: list = []


def _event_id(using: str, chain: str, seq: int) -> int | None:
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT id FROM audit_auditevent WHERE chain = %s AND seq = %s", [chain, seq]
        )
        row = cursor.fetchone()
    return row[0] if row else None


def _heads(using: str) -> dict[str, tuple[int, str]]:
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT key, last_seq, last_hash FROM audit_auditchain")
        return {key: (int(seq), h) for key, seq, h in cursor.fetchall()}


def verify_chains(
    *,
    using: str = "default",
    batch_size: int = 5000,
    progress: Callable[[int], None] | None = None,
    stop_at_first: bool = False,
) -> Result:
    """Walk every chain once. Reports the first break of each chain (or only the very
    first, with ``stop_at_first``)."""
    result = Result()
    heads = _heads(using)
    result.heads = heads
    # Rows come in insertion order (a plain scan, no index walk); within one chain that is
    # sequence order, because the chain's head row is locked while each event is written.
    # state: chain -> [next expected seq, hash of the last event]; None once broken.
    state: dict[str, list | None] = {}
    events = 0
    digest = fast_digest
    time_text = sqlite_time if connections[using].vendor == "sqlite" else None

    for rows in _batches(using, batch_size):
        for row in rows:
            chain = row[1]
            current = state.get(chain, _MISSING)
            if current is _MISSING:
                current = state[chain] = [1, GENESIS_HASH]
            if current is None:
                continue
            seq = row[2]
            if (
                seq != current[0]
                or row[14] != current[1]
                or digest(row, current[1], time_text) != row[15]
            ):
                if seq != current[0]:
                    problem = f"expected sequence {current[0]}: events are missing or reordered"
                elif row[14] != current[1]:
                    problem = "its previous hash does not match the event before it"
                else:
                    problem = "its contents do not match its hash (the event was altered)"
                result.breaks.append(Break(chain, seq, row[0], problem))
                state[chain] = None
                if stop_at_first:
                    result.events, result.chains = events + 1, len(state)
                    return result
                continue
            current[0] = seq + 1
            current[1] = row[15]
        events += len(rows)
        if progress is not None:
            progress(events)
    result.events, result.chains = events, len(state)
    last_seen = {k: (v[0] - 1, v[1]) for k, v in state.items() if v is not None}

    broken_chains = {b.chain for b in result.breaks}
    for key, (head_seq, head_hash) in sorted(heads.items()):
        if key in broken_chains:
            continue
        seen = last_seen.get(key, (0, GENESIS_HASH))
        if seen != (head_seq, head_hash):
            if seen[0] < head_seq:
                problem = (
                    f"the chain ends at sequence {seen[0]} but its head records {head_seq}: "
                    "events were removed from its end"
                )
                result.breaks.append(Break(key, seen[0] + 1, None, problem))
            else:
                problem = f"the chain's head (sequence {head_seq}) does not match its last event"
                result.breaks.append(Break(key, seen[0], _event_id(using, key, seen[0]), problem))
    for key in sorted(set(last_seen) - set(heads)):
        result.breaks.append(Break(key, None, None, "events exist for a chain with no head"))
    return result
