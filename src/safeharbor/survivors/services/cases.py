"""Cases: opening, planning and logging services, notes, asking for and approving closure."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import access
from ..choices import CaseCloseReason, CaseStatus, ServiceStatus, ServiceType
from ..models import Case, CaseNote, CaseService, Person
from ._common import AuditAction, audit, today, user_of

CASE_EDITABLE = frozenset({"needs", "goals", "safety_plan", "assigned_to"})


def _lock_case(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("person").get(pk=case.pk)


def case_open(
    *,
    membership: Any,
    person: Person,
    opened_on: datetime.date,
    needs: str = "",
    goals: str = "",
    safety_plan: str = "",
    assigned_to: Any = None,
) -> Case:
    """Open a case for a person in the person's agency."""
    access.require_add(membership, Case, person=person)
    if opened_on > today():
        raise ValidationError({"opened_on": _("The date is in the future.")})
    with transaction.atomic():
        case = Case.objects.create(
            person=person,
            agency_id=person.agency_id,
            assigned_to=assigned_to or user_of(membership),
            created_by=user_of(membership),
            opened_on=opened_on,
            needs=needs,
            goals=goals,
            safety_plan=safety_plan,
        )
        audit(
            action=AuditAction.CREATE,
            membership=membership,
            obj=case,
            agency_id=case.agency_id,
            fields=["opened_on", "needs", "goals", "safety_plan"],
        )
    return case


def case_update(*, membership: Any, case: Case, values: Mapping[str, Any]) -> Case:
    """Change needs, goals, the safety plan or the assigned worker of an open case."""
    unknown = set(values) - CASE_EDITABLE
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    with transaction.atomic():
        locked = _lock_case(case)
        access.require(membership, "change", locked)
        if locked.status == CaseStatus.CLOSED:
            raise ValidationError(_("This case is closed."))
        changed = [name for name, value in values.items() if getattr(locked, name) != value]
        for name in changed:
            setattr(locked, name, values[name])
        locked.save()
        audit(
            action=AuditAction.UPDATE,
            membership=membership,
            obj=locked,
            agency_id=locked.agency_id,
            fields=changed,
        )
    return locked


def case_service_add(
    *,
    membership: Any,
    case: Case,
    service_type: str,
    status: str = ServiceStatus.PLANNED,
    planned_on: datetime.date | None = None,
    delivered_on: datetime.date | None = None,
    provider: Any = None,
    note: str = "",
) -> CaseService:
    """Plan a service or log one delivered."""
    if service_type not in ServiceType.values:
        raise ValidationError({"service_type": _("Choose a service.")})
    if status == ServiceStatus.DELIVERED and delivered_on is None:
        raise ValidationError({"delivered_on": _("Give the date it was delivered.")})
    if delivered_on is not None and delivered_on > today():
        raise ValidationError({"delivered_on": _("The date is in the future.")})
    with transaction.atomic():
        locked = _lock_case(case)
        access.require_add(membership, CaseService, case=locked)
        if locked.status == CaseStatus.CLOSED:
            raise ValidationError(_("This case is closed."))
        service = CaseService.objects.create(
            case=locked,
            service_type=service_type,
            status=status,
            planned_on=planned_on,
            delivered_on=delivered_on,
            provider=provider,
            note=note,
            recorded_by=user_of(membership),
        )
        audit(
            action=AuditAction.CREATE,
            membership=membership,
            obj=service,
            agency_id=locked.agency_id,
            fields=["service_type", "status"],
        )
    return service


def case_service_set_status(
    *,
    membership: Any,
    service: CaseService,
    status: str,
    delivered_on: datetime.date | None = None,
) -> CaseService:
    """Mark a planned service delivered (with its date) or cancelled."""
    if status not in ServiceStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    if status == ServiceStatus.DELIVERED and delivered_on is None:
        raise ValidationError({"delivered_on": _("Give the date it was delivered.")})
    with transaction.atomic():
        locked = CaseService.objects.select_for_update().get(pk=service.pk)
        case = _lock_case(locked.case)
        access.require(membership, "change", locked)
        locked.status = status
        locked.delivered_on = delivered_on if status == ServiceStatus.DELIVERED else None
        locked.save(update_fields=["status", "delivered_on"])
        audit(
            action=AuditAction.UPDATE,
            membership=membership,
            obj=locked,
            agency_id=case.agency_id,
            fields=["status", "delivered_on"],
        )
    return locked


def case_note_add(*, membership: Any, case: Case, body: str) -> CaseNote:
    """Add an encrypted note to a case."""
    if not body.strip():
        raise ValidationError({"body": _("Write the note.")})
    with transaction.atomic():
        locked = _lock_case(case)
        access.require_add(membership, CaseNote, case=locked)
        note = CaseNote.objects.create(case=locked, body=body, author=user_of(membership))
        audit(
            action=AuditAction.CREATE,
            membership=membership,
            obj=note,
            agency_id=locked.agency_id,
            fields=["body"],
        )
    return note


def case_request_close(*, membership: Any, case: Case, reason: str, note: str = "") -> Case:
    """Ask a supervisor to close the case."""
    if reason not in CaseCloseReason.values:
        raise ValidationError({"reason": _("Choose why the case is closing.")})
    with transaction.atomic():
        locked = _lock_case(case)
        access.require(membership, "change", locked)
        if locked.status != CaseStatus.OPEN:
            raise ValidationError(_("Closing has already been asked for, or the case is closed."))
        locked.status = CaseStatus.CLOSE_REQUESTED
        locked.close_reason = reason
        locked.close_note = note
        locked.close_requested_by = user_of(membership)
        locked.close_requested_at = timezone.now()
        locked.save()
        audit(
            action=AuditAction.UPDATE,
            membership=membership,
            obj=locked,
            agency_id=locked.agency_id,
            fields=["status", "close_reason", "close_note"],
        )
    return locked


def can_approve_close(membership: Any, case: Case) -> bool:
    """A supervisor approves: agency-wide scope, allowed to approve, not the one who asked."""
    return (
        membership is not None
        and membership.effective_scope == "agency"
        and access.can(membership, "approve", case)
        and case.close_requested_by_id != membership.user_id
    )


def case_decide_close(
    *, membership: Any, case: Case, approve: bool, closed_on: datetime.date | None = None
) -> Case:
    """A supervisor approves the closure (the case closes) or sends it back (it stays open)."""
    with transaction.atomic():
        locked = _lock_case(case)
        access.require(membership, "approve", locked)
        if not can_approve_close(membership, locked):
            raise PermissionDenied
        if locked.status != CaseStatus.CLOSE_REQUESTED:
            raise ValidationError(_("Nobody has asked to close this case."))
        if approve:
            closed_on = closed_on or today()
            if closed_on < locked.opened_on:
                raise ValidationError({"closed_on": _("The case cannot close before it opened.")})
            locked.status = CaseStatus.CLOSED
            locked.closed_on = closed_on
            locked.close_approved_by = membership.user
        else:
            locked.status = CaseStatus.OPEN
            locked.close_reason = ""
            locked.close_note = ""
            locked.close_requested_by = None
            locked.close_requested_at = None
        locked.save()
        audit(
            action=AuditAction.UPDATE,
            membership=membership,
            obj=locked,
            agency_id=locked.agency_id,
            fields=["status", "closed_on", "close_approved_by"],
            reason="close approved" if approve else "close returned",
        )
    return locked
