"""Helpers shared by this area's services: the actor, auditing, derived values."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils import timezone

from safeharbor.audit.choices import ActorKind, AuditAction
from safeharbor.audit.services import audit_record

from .. import derive


def actor_of(membership: Any) -> Any:
    """The audit actor: the member's user, or the system actor for jobs and commands."""
    return membership.user if membership is not None else ActorKind.SYSTEM


def user_of(membership: Any) -> Any:
    return membership.user if membership is not None else None


def audit(
    *,
    action: str,
    membership: Any,
    obj: models.Model,
    agency_id: int,
    fields: Iterable[str] = (),
    reason: str = "",
) -> None:
    audit_record(
        action=action,
        actor=actor_of(membership),
        agency_id=agency_id,
        obj=obj,
        fields=list(fields),
        reason=reason,
    )


def person_age_on(person: Any, on: datetime.date) -> int | None:
    return derive.age_on(
        on, dob=person.dob, estimated_age=person.estimated_age, estimated_on=person.estimated_on
    )


def today() -> datetime.date:
    return timezone.localdate()


__all__ = ["AuditAction", "actor_of", "audit", "person_age_on", "today", "user_of"]
