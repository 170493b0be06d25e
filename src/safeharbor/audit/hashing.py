"""The canonical form an audit event is hashed in. Verification uses the same function."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any


def format_time(moment: datetime) -> str:
    """UTC to the millisecond, the precision the event is stored and hashed at."""
    return (
        moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    )


def event_digest(values: dict[str, Any], prev_hash: str) -> str:
    payload = json.dumps(
        {
            "chain": values["chain"],
            "seq": values["seq"],
            "at": format_time(values["occurred_at"]),
            "actor_kind": values["actor_kind"],
            "actor_id": values["actor_id"],
            "agency_id": values["agency_id"],
            "action": values["action"],
            "object_type": values["object_type"],
            "object_id": values["object_id"],
            "fields": list(values["fields"]),
            "outcome": values["outcome"],
            "reason": values["reason"],
            "request_id": values["request_id"],
        },
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256((prev_hash + payload).encode()).hexdigest()
