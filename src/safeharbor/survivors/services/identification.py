"""Recording identifications and changing their status, with history."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import access, derive
from ..choices import IdentificationBasis, IdentificationStatus, TraffickingType
from ..models import Identification, IdentificationStatusChange, Person, Screening
from ._common import AuditAction, audit, person_age_on, today, user_of


def identification_record(
    *,
    membership: Any,
    person: Person,
    status: str,
    identified_on: datetime.date,
    basis: str,
    trafficking_type: str = TraffickingType.UNKNOWN,
    screening: Screening | None = None,
    note: str = "",
) -> Identification:
    """Record that the person's agency suspects, confirms or rules out trafficking.

    Whether the person was under 18 on that date is worked out from their age.
    """
    if membership is not None:
        access.require_add(membership, Identification, person=person)
    if status not in IdentificationStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    if basis not in IdentificationBasis.values:
        raise ValidationError({"basis": _("Choose a basis.")})
    if identified_on > today():
        raise ValidationError({"identified_on": _("The date is in the future.")})
    if screening is not None and screening.person_id != person.pk:
        raise ValidationError({"screening": _("That screening is of someone else.")})
    with transaction.atomic():
        identification = Identification.objects.create(
            person=person,
            agency_id=person.agency_id,
            identified_on=identified_on,
            status=status,
            basis=basis,
            trafficking_type=trafficking_type,
            juvenile_at_identification=derive.is_juvenile(person_age_on(person, identified_on)),
            screening=screening,
            recorded_by=user_of(membership),
        )
        IdentificationStatusChange.objects.create(
            identification=identification,
            status=status,
            changed_on=identified_on,
            changed_by=user_of(membership),
            note=note,
        )
        audit(
            action=AuditAction.CREATE,
            membership=membership,
            obj=identification,
            agency_id=person.agency_id,
            fields=["status", "basis", "trafficking_type", "identified_on"],
        )
    return identification


def identification_change_status(
    *,
    membership: Any,
    identification: Identification,
    status: str,
    changed_on: datetime.date,
    note: str = "",
    trafficking_type: str | None = None,
) -> Identification:
    """Move an identification to a new status (e.g. suspected -> confirmed), kept in history."""
    if status not in IdentificationStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    if changed_on > today():
        raise ValidationError({"changed_on": _("The date is in the future.")})
    with transaction.atomic():
        locked = (
            Identification.objects.select_for_update()
            .select_related("person")
            .get(pk=identification.pk)
        )
        access.require(membership, "change", locked)
        if changed_on < locked.identified_on:
            raise ValidationError(
                {"changed_on": _("The date is before the identification was recorded.")}
            )
        fields = []
        if status != locked.status:
            locked.status = status
            fields.append("status")
        if trafficking_type and trafficking_type != locked.trafficking_type:
            locked.trafficking_type = trafficking_type
            fields.append("trafficking_type")
        if not fields:
            raise ValidationError({"status": _("Nothing changed.")})
        locked.save(update_fields=[*fields, "updated_at"])
        IdentificationStatusChange.objects.create(
            identification=locked,
            status=locked.status,
            changed_on=changed_on,
            changed_by=user_of(membership),
            note=note,
        )
        audit(
            action=AuditAction.UPDATE,
            membership=membership,
            obj=locked,
            agency_id=locked.agency_id,
            fields=fields,
        )
    return locked
