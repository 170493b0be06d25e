"""The one way to write an audit event. Call it inside the transaction of the change."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from safeharbor.core.request_context import current_request_id

from .choices import ActorKind, AuditOutcome
from .hashing import event_digest
from .models import AuditChain, AuditEvent

logger = logging.getLogger("safeharbor.audit")

PLATFORM_CHAIN = "platform"


def _chain_key(agency_id: int | None) -> str:
    return f"agency-{agency_id}" if agency_id else PLATFORM_CHAIN


def _actor(actor: Any) -> tuple[str, int | None]:
    from safeharbor.core.actors import SystemActor

    if actor is None:
        return ActorKind.ANONYMOUS, None
    if isinstance(actor, SystemActor) or actor == ActorKind.SYSTEM:
        return ActorKind.SYSTEM, None
    if hasattr(actor, "role_id") and hasattr(actor, "user_id"):  # a Membership
        return ActorKind.USER, actor.user_id
    if getattr(actor, "is_authenticated", False):
        return ActorKind.USER, actor.pk
    return ActorKind.ANONYMOUS, None


def audit_record(
    *,
    action: str,
    actor: Any = None,
    agency_id: int | None = None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int | None = None,
    fields: Iterable[str] = (),
    outcome: str = AuditOutcome.SUCCESS,
    reason: str = "",
    request_id: str | None = None,
) -> AuditEvent:
    """Append one event to the agency's chain and return it.

    ``actor`` is a user (or a membership), ``SYSTEM``/``ActorKind.SYSTEM`` for background
    jobs, or None when nobody is signed in. ``fields`` are field names only; values and names
    of people never belong here.
    """
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = obj.pk if object_id is None else object_id
    actor_kind, actor_id = _actor(actor)
    key = _chain_key(agency_id)
    with transaction.atomic():
        head, _created = AuditChain.objects.get_or_create(key=key)
        head = AuditChain.objects.select_for_update().get(pk=head.pk)
        now = timezone.now()
        values: dict[str, Any] = {
            "chain": key,
            "seq": head.last_seq + 1,
            "occurred_at": now.replace(microsecond=(now.microsecond // 1000) * 1000),
            "actor_kind": actor_kind,
            "actor_id": actor_id,
            "agency_id": agency_id,
            "action": action,
            "object_type": object_type,
            "object_id": "" if object_id is None else str(object_id),
            "fields": sorted(set(fields)),
            "outcome": outcome,
            "reason": reason,
            "request_id": request_id if request_id is not None else current_request_id(),
        }
        digest = event_digest(values, head.last_hash)
        event = AuditEvent.objects.create(prev_hash=head.last_hash, hash=digest, **values)
        AuditChain.objects.filter(pk=head.pk).update(last_seq=values["seq"], last_hash=digest)
    logger.info(
        "audit action=%s outcome=%s actor=%s:%s agency=%s object=%s:%s request=%s",
        action,
        outcome,
        actor_kind,
        actor_id,
        agency_id,
        values["object_type"],
        values["object_id"],
        values["request_id"],
    )
    return event
