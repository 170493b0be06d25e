"""Verify the audit hash chains, streaming: constant memory, one pass over the table.

Each chain must start at sequence 1 from the genesis hash, have no gaps, link every event to
the hash of the one before, carry the hash its own contents give, and end at the head that
``AuditChain`` records (so dropping the newest events shows too). The first event that
breaks a chain is reported with what is wrong.

The digest is recomputed with a fast encoder that produces exactly the bytes of
``hashing.event_digest`` (a test holds the two equal), reading raw rows to skip the ORM.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from json.encoder import encode_basestring_ascii as _esc  # type: ignore[attr-defined]
from typing import Any

from django.db import connections

from .models import GENESIS_HASH

COLUMNS = (
    "id, chain, seq, occurred_at, actor_kind, actor_id, agency_id, action, object_type, "
    "object_id, fields, outcome, reason, request_id, prev_hash, hash"
)


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


def _time_text(value: Any) -> str:
    """``hashing.format_time`` for a raw column value (text on SQLite, datetime elsewhere)."""
    if isinstance(value, str):
        # Django stores "YYYY-MM-DD HH:MM:SS[.ffffff]" in UTC on SQLite.
        millis = value[20:23] if len(value) > 19 else "000"
        return f"{value[:10]}T{value[11:19]}.{millis.ljust(3, '0')}Z"
    moment: datetime = value
    if moment.tzinfo is not None and moment.utcoffset():
        moment = moment.astimezone(UTC)
    return (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}T{moment.hour:02d}:"
        f"{moment.minute:02d}:{moment.second:02d}.{moment.microsecond // 1000:03d}Z"
    )


def _fields_json(value: Any) -> str:
    if value is None:
        return "[]"
    if isinstance(value, str):
        if value == "[]":
            return value
        value = json.loads(value)
    if not value:
        return "[]"
    return "[" + ",".join(_esc(str(v)) for v in value) + "]"


def _num(value: Any) -> str:
    return "null" if value is None else str(int(value))


def fast_digest(row: tuple, prev_hash: str) -> str:
    """The event's hash from a raw row (columns in ``COLUMNS`` order)."""
    (
        _id,
        chain,
        seq,
        occurred_at,
        actor_kind,
        actor_id,
        agency_id,
        action,
        object_type,
        object_id,
        fields,
        outcome,
        reason,
        request_id,
        _prev,
        _hash,
    ) = row
    payload = (
        '{"action":'
        + _esc(action)
        + ',"actor_id":'
        + _num(actor_id)
        + ',"actor_kind":'
        + _esc(actor_kind)
        + ',"agency_id":'
        + _num(agency_id)
        + ',"at":"'
        + _time_text(occurred_at)
        + '","chain":'
        + _esc(chain)
        + ',"fields":'
        + _fields_json(fields)
        + ',"object_id":'
        + _esc(object_id)
        + ',"object_type":'
        + _esc(object_type)
        + ',"outcome":'
        + _esc(outcome)
        + ',"reason":'
        + _esc(reason)
        + ',"request_id":'
        + _esc(request_id)
        + ',"seq":'
        + str(int(seq))
        + "}"
    )
    return hashlib.sha256((prev_hash + payload).encode()).hexdigest()


def _rows(using: str, batch_size: int) -> Iterator[tuple]:
    connection = connections[using]
    connection.ensure_connection()
    # A server-side cursor on PostgreSQL: rows stream instead of loading the table.
    with connection.chunked_cursor() as cursor:
        cursor.execute(
            f"SELECT {COLUMNS} FROM audit_auditevent ORDER BY chain, seq"  # noqa: S608
        )
        while True:
            rows = cursor.fetchmany(batch_size)
            if not rows:
                return
            yield from rows


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
    chain: str | None = None
    expected_seq = 1
    prev_hash = GENESIS_HASH
    broken = False
    last_seen: dict[str, tuple[int, str]] = {}

    for row in _rows(using, batch_size):
        result.events += 1
        if progress is not None and result.events % 100_000 == 0:
            progress(result.events)
        event_id, row_chain, seq = row[0], row[1], int(row[2])
        if row_chain != chain:
            chain = row_chain
            result.chains += 1
            expected_seq, prev_hash, broken = 1, GENESIS_HASH, False
        if broken:
            continue
        problem = ""
        if seq != expected_seq:
            problem = f"expected sequence {expected_seq}: events are missing or reordered"
        elif row[14] != prev_hash:
            problem = "its previous hash does not match the event before it"
        elif fast_digest(row, prev_hash) != row[15]:
            problem = "its contents do not match its hash (the event was altered)"
        if problem:
            result.breaks.append(Break(row_chain, seq, event_id, problem))
            broken = True
            if stop_at_first:
                return result
            continue
        prev_hash = row[15]
        expected_seq = seq + 1
        last_seen[row_chain] = (seq, prev_hash)

    broken_chains = {b.chain for b in result.breaks}
    for key, (head_seq, head_hash) in sorted(heads.items()):
        if key in broken_chains:
            continue
        seen = last_seen.get(key, (0, GENESIS_HASH))
        if seen != (head_seq, head_hash):
            result.breaks.append(
                Break(
                    key,
                    seen[0] + 1 if seen[0] < head_seq else seen[0],
                    None,
                    f"the chain ends at sequence {seen[0]} but its head records "
                    f"{head_seq}: events were removed from its end",
                )
            )
    for key in sorted(set(last_seen) - set(heads)):
        result.breaks.append(Break(key, None, None, "events exist for a chain with no head"))
    return result
