"""Creating and changing person records, their search terms and derived values."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from safeharbor.core import blind_index

from .. import access, derive
from ..models import Person, PersonIndexEntry
from ._common import AuditAction, audit, person_age_on, today, user_of

EDITABLE_FIELDS = frozenset(
    {
        "given_name",
        "family_name",
        "aliases",
        "dob",
        "estimated_age",
        "estimated_age_basis",
        "estimated_on",
        "sex",
        "gender_identity",
        "phones",
        "emails",
        "address",
        "city",
        "postcode",
        "area",
        "languages",
        "safe_contact",
        "abusers",
        "in_state_custody",
        "custodial_agency",
        "emancipated",
        "county",
        "source_record_id",
    }
)
REFERENCE_ATTEMPTS = 8


def person_index_entries(person: Person) -> list[PersonIndexEntry]:
    """The blind-index terms of a person: names (full name and each alias), date of birth,
    phones. Keys are the owning agency's."""
    agency_id = person.agency_id
    values: set[tuple[str, str]] = set()
    names = [" ".join(p for p in [person.given_name, person.family_name] if p)]
    names += [str(a) for a in person.aliases or []]
    for name in names:
        for term in blind_index.index_terms_for_name(name, agency_id=agency_id):
            values.add((PersonIndexEntry.Kind.NAME, term))
    dob = blind_index.index_for_dob(person.dob, agency_id=agency_id)
    if dob:
        values.add((PersonIndexEntry.Kind.DOB, dob))
    for phone in person.phones or []:
        value = blind_index.index_for_phone(str(phone), agency_id=agency_id)
        if value:
            values.add((PersonIndexEntry.Kind.PHONE, value))
    return [
        PersonIndexEntry(person=person, agency_id=agency_id, kind=kind, value=value)
        for kind, value in sorted(values)
    ]


def _reindex(person: Person) -> None:
    PersonIndexEntry.objects.filter(person=person).delete()
    PersonIndexEntry.objects.bulk_create(person_index_entries(person))


def _derive(person: Person, on: datetime.date) -> None:
    if person.dob is not None:
        person.estimated_age = None
        person.estimated_age_basis = ""
        person.estimated_on = None
    elif person.estimated_age is not None and person.estimated_on is None:
        person.estimated_on = on
    person.age_band = derive.age_band(person_age_on(person, on))
    person.age_band_on = on
    if not person.in_state_custody:
        person.custodial_agency = None


def _validate(person: Person) -> None:
    errors: dict[str, str] = {}
    if not (person.given_name or person.family_name or person.aliases):
        errors["given_name"] = _("Give at least a given name, a family name or an alias.")
    if person.dob is not None and person.dob > today():
        errors["dob"] = _("The date of birth is in the future.")
    if person.estimated_age is not None and person.estimated_age > 120:
        errors["estimated_age"] = _("Enter an age between 0 and 120.")
    if person.estimated_age is not None and person.dob is None and not person.estimated_age_basis:
        errors["estimated_age_basis"] = _("Say how the age was estimated.")
    if errors:
        raise ValidationError(errors)


def _save_with_reference(person: Person) -> None:
    for _attempt in range(REFERENCE_ATTEMPTS):
        person.reference = derive.new_reference()
        try:
            with transaction.atomic():
                person.save()
            return
        except IntegrityError:
            if Person.objects.filter(reference=person.reference).exists():
                continue
            raise
    raise RuntimeError("Could not find a free reference.")  # pragma: no cover


def person_create(
    *,
    membership: Any,
    values: Mapping[str, Any],
    agency: Any = None,
    assigned_to: Any = None,
) -> Person:
    """Create a person in the membership's agency (or ``agency`` for the system actor).

    A caseworker who creates a record is assigned to it unless someone else is named.
    """
    unknown = set(values) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    if membership is not None:
        access.require_add(membership, Person)
        agency = membership.agency
    if agency is None:
        raise ValueError("A person needs an owning agency.")
    user = user_of(membership)
    person = Person(
        agency=agency,
        created_by=user,
        assigned_to=assigned_to if assigned_to is not None else user,
        **dict(values),
    )
    _validate(person)
    _derive(person, today())
    with transaction.atomic():
        _save_with_reference(person)
        _reindex(person)
        audit(
            action=AuditAction.CREATE,
            membership=membership,
            obj=person,
            agency_id=person.agency_id,
            fields=sorted(values),
        )
    return person


def person_update(*, membership: Any, person: Person, values: Mapping[str, Any]) -> Person:
    """Change identity or custody details; search terms and the age band follow."""
    unknown = set(values) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        access.require(membership, "change", locked)
        changed = [name for name, value in values.items() if getattr(locked, name) != value]
        for name in changed:
            setattr(locked, name, values[name])
        _validate(locked)
        _derive(locked, today())
        locked.save()
        _reindex(locked)
        audit(
            action=AuditAction.UPDATE,
            membership=membership,
            obj=locked,
            agency_id=locked.agency_id,
            fields=changed,
        )
    return locked


def person_assign(*, membership: Any, person: Person, worker: Any) -> Person:
    """Assign a person to a worker of the same agency (or to nobody)."""
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        access.require(membership, "change", locked)
        if (
            worker is not None
            and not worker.memberships.filter(agency_id=locked.agency_id, is_active=True).exists()
        ):
            raise ValidationError({"assigned_to": _("Choose someone who works at this agency.")})
        locked.assigned_to = worker
        locked.save(update_fields=["assigned_to", "updated_at"])
        audit(
            action=AuditAction.UPDATE,
            membership=membership,
            obj=locked,
            agency_id=locked.agency_id,
            fields=["assigned_to"],
        )
    return locked


def person_record_view(*, membership: Any, person: Person, categories: frozenset[str]) -> None:
    """Audit that a member opened a person's record and which categories were shown."""
    audit(
        action=AuditAction.VIEW,
        membership=membership,
        obj=person,
        agency_id=person.agency_id,
        fields=sorted(categories),
    )


def refresh_age_bands() -> str | None:
    """Periodic: move people into their new age band as time passes (birthdays)."""
    on = today()
    moved = 0
    stale = Person.objects.exclude(age_band_on=on).only(
        "id", "dob", "estimated_age", "estimated_on", "age_band", "age_band_on"
    )
    for person in stale.iterator(chunk_size=500):
        band = derive.age_band(person_age_on(person, on))
        if band != person.age_band:
            Person.objects.filter(pk=person.pk).update(age_band=band)
            moved += 1
    Person.objects.exclude(age_band_on=on).update(age_band_on=on)
    return f"{moved} people moved to a new age band" if moved else None
