"""Writes of the enforcement area. Every function checks permission through the engine,
writes its audit event in the same transaction and re-checks that the writer may still see
what was written; views, the API and the demo loader all call these."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safeharbor.audit.choices import ActorKind, AuditAction
from safeharbor.audit.services import audit_record
from safeharbor.core import permissions as engine

from .choices import (
    SUBJECT_ROLES,
    ChargeStatus,
    ContactRole,
    InvestigationStatus,
    OperationStatus,
    ReferralDecision,
)
from .models import (
    Arrest,
    Charge,
    Contact,
    FollowUp,
    Investigation,
    Operation,
    Subject,
    UnitMember,
)

__all__ = [
    "arrest_record",
    "charge_file",
    "charge_set_status",
    "contact_record",
    "follow_up_record",
    "investigation_link",
    "investigation_open",
    "investigation_update",
    "operation_create",
    "operation_update",
    "subject_create",
    "unit_member_add",
]

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
OPERATION_FIELDS = {
    "name",
    "kind",
    "started_on",
    "ended_on",
    "general_area",
    "status",
    "lead",
    "after_action_summary",
}
INVESTIGATION_FIELDS = {"title", "status", "closed_on", "lead_detective", "summary"}


# Helpers ------------------------------------------------------------------------------------


def _actor(membership: Any) -> Any:
    return membership.user if membership is not None else ActorKind.SYSTEM


def _user(membership: Any) -> Any:
    return getattr(membership, "user", None)


def _audit(
    *, action: str, membership: Any, obj: models.Model, fields: Iterable[str], reason: str = ""
) -> None:
    audit_record(
        action=action,
        actor=_actor(membership),
        agency_id=engine.spec_for(obj).agency_id_of(obj),
        obj=obj,
        fields=list(fields),
        reason=reason,
    )


def _require_add(membership: Any, candidate: models.Model) -> None:
    if membership is None:
        raise PermissionDenied(_("You do not have access to this record."))
    engine.require(membership, "add", candidate)


def _still_visible(membership: Any, obj: models.Model) -> None:
    """After a write, inside its transaction: the writer must still see the result (else the
    write is rolled back)."""
    engine.require(membership, "view", obj)


def _agency_users(membership: Any, users: Iterable[Any], field: str) -> None:
    from safeharbor.accounts.models import Membership

    for user in users:
        if user is None:
            continue
        if not Membership.objects.filter(
            user=user, agency_id=membership.agency_id, is_active=True
        ).exists():
            raise ValidationError({field: _("Choose someone from your own agency.")})


def _new_reference() -> str:
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
    return f"SUB-{chars[:4]}-{chars[4:]}"


# Roster -------------------------------------------------------------------------------------


def unit_member_add(
    *,
    membership: Any,
    user: Any,
    rank: str,
    badge_number: str = "",
    joined_on: datetime.date | None = None,
) -> UnitMember:
    """Put a colleague on the unit roster with a rank."""
    _require_add(membership, UnitMember(agency_id=membership.agency_id))
    _agency_users(membership, [user], "user")
    with transaction.atomic():
        try:
            with transaction.atomic():
                member = UnitMember.objects.create(
                    agency_id=membership.agency_id,
                    user=user,
                    rank=rank,
                    badge_number=badge_number.strip(),
                    joined_on=joined_on,
                    created_by=_user(membership),
                )
        except IntegrityError:
            raise ValidationError({"user": _("This person is already on the roster.")}) from None
        _audit(
            action=AuditAction.CREATE,
            membership=membership,
            obj=member,
            fields=["user", "rank", "badge_number", "joined_on"],
        )
    return member


# Operations ---------------------------------------------------------------------------------


def _check_operation(values: Mapping[str, Any]) -> None:
    errors = {}
    ended, started = values.get("ended_on"), values.get("started_on")
    if ended and started and ended < started:
        errors["ended_on"] = _("The operation cannot end before it starts.")
    if values.get("status") == OperationStatus.COMPLETED and not values.get("ended_on"):
        errors["ended_on"] = _("Give the date a completed operation ended.")
    if errors:
        raise ValidationError(errors)


def operation_create(
    *,
    membership: Any,
    name: str,
    kind: str,
    started_on: datetime.date,
    general_area: str,
    lead: Any,
    participants: Iterable[Any] = (),
    status: str = OperationStatus.PLANNED,
    ended_on: datetime.date | None = None,
    after_action_summary: str = "",
) -> Operation:
    """Record an operation ("mission") of the unit."""
    _require_add(membership, Operation(agency_id=membership.agency_id))
    participants = list(participants)
    _agency_users(membership, [lead], "lead")
    _agency_users(membership, participants, "participants")
    _check_operation({"started_on": started_on, "ended_on": ended_on, "status": status})
    with transaction.atomic():
        operation = Operation.objects.create(
            agency_id=membership.agency_id,
            name=name.strip(),
            kind=kind,
            started_on=started_on,
            ended_on=ended_on,
            general_area=general_area.strip(),
            status=status,
            lead=lead,
            after_action_summary=after_action_summary,
            created_by=_user(membership),
        )
        operation.participants.set(participants)
        _audit(
            action=AuditAction.CREATE,
            membership=membership,
            obj=operation,
            fields=[
                "name",
                "kind",
                "started_on",
                "ended_on",
                "general_area",
                "status",
                "lead",
                "participants",
                "after_action_summary",
            ],
        )
        _still_visible(membership, operation)
    return operation


def operation_update(
    *,
    membership: Any,
    operation: Operation,
    values: Mapping[str, Any],
    participants: Iterable[Any] | None = None,
) -> Operation:
    """Change an operation: status, dates, lead, participants, the after-action summary."""
    unknown = set(values) - OPERATION_FIELDS
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    with transaction.atomic():
        locked = Operation.objects.select_for_update().get(pk=operation.pk)
        engine.require(membership, "change", locked)
        if "lead" in values:
            _agency_users(membership, [values["lead"]], "lead")
        merged = {f: values.get(f, getattr(locked, f)) for f in OPERATION_FIELDS}
        _check_operation(merged)
        changed = [f for f, v in values.items() if getattr(locked, f) != v]
        for field in changed:
            setattr(locked, field, values[field])
        if changed:
            locked.save(update_fields=[*changed, "updated_at"])
        if participants is not None:
            participants = list(participants)
            _agency_users(membership, participants, "participants")
            locked.participants.set(participants)
            changed.append("participants")
        _audit(action=AuditAction.UPDATE, membership=membership, obj=locked, fields=changed)
        _still_visible(membership, locked)
    return locked


# Subjects and contacts ----------------------------------------------------------------------


def subject_create(
    *,
    membership: Any,
    kind: str,
    given_name: str = "",
    family_name: str = "",
    aliases: Iterable[str] = (),
    dob: datetime.date | None = None,
    description: str = "",
) -> Subject:
    """Record a buyer or exploiter. Identity is encrypted; the reference is pseudonymous."""
    _require_add(membership, Subject(agency_id=membership.agency_id))
    aliases = [a.strip() for a in aliases if a and a.strip()]
    if not (given_name.strip() or family_name.strip() or aliases or description.strip()):
        raise ValidationError(
            {"given_name": _("Give a name, an alias or handle, or a description.")}
        )
    with transaction.atomic():
        for _attempt in range(10):
            try:
                with transaction.atomic():
                    subject = Subject.objects.create(
                        agency_id=membership.agency_id,
                        reference=_new_reference(),
                        kind=kind,
                        given_name=given_name.strip(),
                        family_name=family_name.strip(),
                        aliases=aliases,
                        dob=dob,
                        description=description.strip(),
                        created_by=_user(membership),
                    )
                break
            except IntegrityError:  # pragma: no cover - a reference clash, try another
                continue
        else:  # pragma: no cover
            raise RuntimeError("Could not find a free reference.")
        _audit(
            action=AuditAction.CREATE,
            membership=membership,
            obj=subject,
            fields=["kind", "given_name", "family_name", "aliases", "dob", "description"],
        )
        _still_visible(membership, subject)
    return subject


def contact_record(
    *,
    membership: Any,
    operation: Operation,
    role: str,
    contacted_at: datetime.datetime,
    subject: Subject | None = None,
    program_info_given: bool = False,
    referral_decision: str = "",
    notes: str = "",
    person: Any = None,
    new_person: Mapping[str, Any] | None = None,
) -> Contact:
    """Record someone the unit met in an operation.

    A victim contact cannot be saved until it records that information about the agency's
    designated survivor program was given and whether a referral was made or declined.
    Buyers and exploiters are recorded against a subject of the same kind and agency.
    A victim or witness may be linked to the agency's own ``person`` record (survivors
    area); buyers and exploiters never are. When the search found nobody, ``new_person``
    (the survivors area's person fields) creates the record through
    ``survivors.services.person_create`` in the same transaction as the contact: both are
    saved, or neither.
    """
    _require_add(membership, Contact(operation=operation))
    errors: dict[str, Any] = {}
    program = None
    if contacted_at > timezone.now() + datetime.timedelta(minutes=5):
        errors["contacted_at"] = _("The time is in the future.")
    if role == ContactRole.VICTIM:
        program = operation.agency.designated_program
        if program is None:
            errors["program_info_given"] = _(
                "Your agency has not named its designated survivor program. Ask an "
                "administrator to name it before recording victim contacts."
            )
        elif not program_info_given:
            errors["program_info_given"] = _(
                "Confirm that information about %(program)s was given."
            ) % {"program": program.name}
        if referral_decision not in ReferralDecision.values:
            errors["referral_decision"] = _(
                "Record whether a referral was made or the person declined one."
            )
        subject = None
    elif role in SUBJECT_ROLES:
        if subject is None:
            errors["subject"] = _("Choose or record the subject.")
        elif subject.agency_id != operation.agency_id or subject.kind != role:
            errors["subject"] = _("Choose a subject of this kind from your agency.")
        program_info_given, referral_decision = False, ""
    else:
        subject, program_info_given, referral_decision = None, False, ""
    if subject is not None and not engine.can(membership, "view", subject):
        errors["subject"] = _("Choose a subject you can see.")
    if role in SUBJECT_ROLES:
        person = None
        if new_person:
            errors["person"] = _("Buyers and exploiters are recorded as subjects, not people.")
    if new_person and person is not None:
        errors["person"] = _("Choose a person or record a new one, not both.")
    if person is not None and (
        person.agency_id != operation.agency_id or not engine.can(membership, "view", person)
    ):
        errors["person"] = _("Choose a person record of your agency that you can see.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if new_person:
            from safeharbor.survivors.services import person_create

            person = person_create(membership=membership, values=new_person)
        contact = Contact.objects.create(
            operation=operation,
            role=role,
            contacted_at=contacted_at,
            subject=subject,
            program_informed=program,
            program_info_given=program_info_given,
            referral_decision=referral_decision,
            notes=notes,
            person=person,
            created_by=_user(membership),
        )
        _audit(
            action=AuditAction.CREATE,
            membership=membership,
            obj=contact,
            fields=[
                "role",
                "contacted_at",
                "subject",
                "program_informed",
                "program_info_given",
                "referral_decision",
                "notes",
                "person",
            ],
        )
        _still_visible(membership, contact)
    return contact


def follow_up_record(
    *,
    membership: Any,
    contact: Contact,
    occurred_on: datetime.date,
    kind: str,
    notes: str = "",
) -> FollowUp:
    """Add to the relationship-building log of a contact."""
    _require_add(membership, FollowUp(contact=contact))
    if occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": _("The date is in the future.")})
    with transaction.atomic():
        follow_up = FollowUp.objects.create(
            contact=contact,
            occurred_on=occurred_on,
            kind=kind,
            notes=notes,
            created_by=_user(membership),
        )
        _audit(
            action=AuditAction.CREATE,
            membership=membership,
            obj=follow_up,
            fields=["occurred_on", "kind", "notes"],
        )
        _still_visible(membership, follow_up)
    return follow_up


# Investigations -----------------------------------------------------------------------------


def _check_same_agency(membership: Any, records: Iterable[models.Model], field: str) -> None:
    for record in records:
        if engine.spec_for(record).agency_id_of(record) != membership.agency_id or not (
            engine.can(membership, "view", record)
        ):
            raise ValidationError({field: _("Choose records of your own agency you can see.")})


def investigation_open(
    *,
    membership: Any,
    case_number: str,
    title: str,
    opened_on: datetime.date,
    lead_detective: Any,
    detectives: Iterable[Any] = (),
    operations: Iterable[Operation] = (),
    subjects: Iterable[Subject] = (),
    summary: str = "",
) -> Investigation:
    """Open an investigation with its lead and assigned detectives."""
    _require_add(membership, Investigation(agency_id=membership.agency_id))
    detectives, operations, subjects = list(detectives), list(operations), list(subjects)
    _agency_users(membership, [lead_detective, *detectives], "detectives")
    _check_same_agency(membership, operations, "operations")
    _check_same_agency(membership, subjects, "subjects")
    case_number = case_number.strip()
    if Investigation.objects.filter(
        agency_id=membership.agency_id, case_number__iexact=case_number
    ).exists():
        raise ValidationError({"case_number": _("This case number is already in use.")})
    if opened_on > timezone.localdate():
        raise ValidationError({"opened_on": _("The date is in the future.")})
    with transaction.atomic():
        investigation = Investigation.objects.create(
            agency_id=membership.agency_id,
            case_number=case_number,
            title=title.strip(),
            opened_on=opened_on,
            lead_detective=lead_detective,
            summary=summary,
            created_by=_user(membership),
        )
        investigation.detectives.set(detectives)
        investigation.operations.set(operations)
        investigation.subjects.set(subjects)
        _audit(
            action=AuditAction.CREATE,
            membership=membership,
            obj=investigation,
            fields=[
                "case_number",
                "title",
                "opened_on",
                "lead_detective",
                "detectives",
                "operations",
                "subjects",
                "summary",
            ],
        )
        _still_visible(membership, investigation)
    return investigation


def investigation_update(
    *, membership: Any, investigation: Investigation, values: Mapping[str, Any]
) -> Investigation:
    """Change status, lead or summary; closing needs a date on or after opening."""
    unknown = set(values) - INVESTIGATION_FIELDS
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    with transaction.atomic():
        locked = Investigation.objects.select_for_update().get(pk=investigation.pk)
        engine.require(membership, "change", locked)
        if "lead_detective" in values:
            _agency_users(membership, [values["lead_detective"]], "lead_detective")
        status = values.get("status", locked.status)
        closed_on = values.get("closed_on", locked.closed_on)
        if status == InvestigationStatus.CLOSED and closed_on is None:
            raise ValidationError({"closed_on": _("Give the date the investigation closed.")})
        if closed_on is not None and closed_on < locked.opened_on:
            raise ValidationError({"closed_on": _("It cannot close before it opened.")})
        changed = [f for f, v in values.items() if getattr(locked, f) != v]
        for field in changed:
            setattr(locked, field, values[field])
        if changed:
            locked.save(update_fields=[*changed, "updated_at"])
        _audit(action=AuditAction.UPDATE, membership=membership, obj=locked, fields=changed)
        _still_visible(membership, locked)
    return locked


def investigation_link(
    *,
    membership: Any,
    investigation: Investigation,
    operations: Iterable[Operation] = (),
    subjects: Iterable[Subject] = (),
    detectives: Iterable[Any] = (),
) -> Investigation:
    """Add operations, subjects and detectives to an investigation."""
    operations, subjects, detectives = list(operations), list(subjects), list(detectives)
    with transaction.atomic():
        locked = Investigation.objects.select_for_update().get(pk=investigation.pk)
        engine.require(membership, "change", locked)
        _check_same_agency(membership, operations, "operations")
        _check_same_agency(membership, subjects, "subjects")
        _agency_users(membership, detectives, "detectives")
        locked.operations.add(*operations)
        locked.subjects.add(*subjects)
        locked.detectives.add(*detectives)
        fields = [
            name
            for name, items in (
                ("operations", operations),
                ("subjects", subjects),
                ("detectives", detectives),
            )
            if items
        ]
        _audit(action=AuditAction.UPDATE, membership=membership, obj=locked, fields=fields)
    return locked


# Arrests and charges ------------------------------------------------------------------------


def arrest_record(
    *,
    membership: Any,
    subject: Subject,
    arrested_at: datetime.datetime,
    arresting_officer: Any,
    operation: Operation | None = None,
    investigation: Investigation | None = None,
    general_area: str = "",
) -> Arrest:
    """Record the arrest of a subject (never of a survivor: survivors are not subjects)."""
    _require_add(membership, Arrest(subject=subject))
    _agency_users(membership, [arresting_officer], "arresting_officer")
    linked = [r for r in (operation, investigation) if r is not None]
    _check_same_agency(membership, linked, "operation")
    if arrested_at > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError({"arrested_at": _("The time is in the future.")})
    with transaction.atomic():
        arrest = Arrest.objects.create(
            subject=subject,
            operation=operation,
            investigation=investigation,
            arrested_at=arrested_at,
            arresting_officer=arresting_officer,
            general_area=general_area.strip(),
            created_by=_user(membership),
        )
        _audit(
            action=AuditAction.CREATE,
            membership=membership,
            obj=arrest,
            fields=["arrested_at", "arresting_officer", "operation", "investigation"],
        )
        _still_visible(membership, arrest)
    return arrest


def charge_file(
    *,
    membership: Any,
    arrest: Arrest,
    charged_on: datetime.date,
    citation: str = "",
    statute: Any = None,
    description: str = "",
) -> Charge:
    """File a charge citing a statute: a ``legislation.Statute`` record, or a citation as
    written (``ORS 167.017``), linked to the statute record when exactly one matches."""
    from safeharbor.legislation.models import Statute

    _require_add(membership, Charge(arrest=arrest))
    citation = " ".join((statute.citation if statute is not None else citation).split())
    if not citation:
        raise ValidationError({"citation": _("Cite the statute, e.g. ORS 167.017.")})
    if charged_on > timezone.localdate():
        raise ValidationError({"charged_on": _("The date is in the future.")})
    if statute is None:
        matches = list(Statute.objects.filter(citation__iexact=citation)[:2])
        statute = matches[0] if len(matches) == 1 else None
    with transaction.atomic():
        charge = Charge.objects.create(
            arrest=arrest,
            statute=statute,
            citation=citation,
            charged_on=charged_on,
            description=description.strip(),
            created_by=_user(membership),
        )
        _audit(
            action=AuditAction.CREATE,
            membership=membership,
            obj=charge,
            fields=["statute", "citation", "charged_on", "description"],
        )
        _still_visible(membership, charge)
    return charge


def charge_set_status(*, membership: Any, charge: Charge, status: str) -> Charge:
    """Record what became of a charge."""
    if status not in ChargeStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    with transaction.atomic():
        locked = Charge.objects.select_for_update().get(pk=charge.pk)
        engine.require(membership, "change", locked)
        if locked.status != status:
            locked.status = status
            locked.save(update_fields=["status"])
        _audit(action=AuditAction.UPDATE, membership=membership, obj=locked, fields=["status"])
    return locked
