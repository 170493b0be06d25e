"""Consent-aware input for a linkage run, read from the survivors area's person records.

Every agency's person records are read as the ``SYSTEM`` actor through the permission engine
and the read is audited (one event per agency: how many records and which fields, never
values). A record of a VAWA-covered agency takes part only when a consent in force at the
time of the run covers statistical linkage (purpose "statistical use", the statistical data
category); every other record still counts, unlinked.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone

from safeharbor.audit.choices import AuditAction
from safeharbor.audit.services import audit_record
from safeharbor.core.permissions import SYSTEM

__all__ = ["LinkageInput", "known_links", "linkage_input", "statistical_consent_person_ids"]

# The identity fields a run reads (recorded in the audit event; values never are).
FIELDS_READ = [
    "given_name",
    "family_name",
    "aliases",
    "dob",
    "sex",
    "phones",
    "address",
    "city",
    "postcode",
]


@dataclass
class LinkageInput:
    """The rows handed to the pipeline and what was left out."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    person_agency: dict[int, int] = field(default_factory=dict)  # every record, linked or not
    linkable: set[int] = field(default_factory=set)
    excluded_no_consent: set[int] = field(default_factory=set)


def statistical_consent_person_ids(person_ids: list[int], *, at: datetime.datetime) -> set[int]:
    """Of ``person_ids``, those with a consent in force at ``at`` for statistical linkage."""
    from safeharbor.survivors.choices import ConsentPurpose, DataCategory
    from safeharbor.survivors.models import Consent

    today = timezone.localdate(at)
    consents = Consent.objects.visible_to(SYSTEM).filter(
        Q(revoked_at__isnull=True) | Q(revoked_at__gt=at),
        person_id__in=person_ids,
        purpose=ConsentPurpose.STATISTICS,
        signed_on__lte=today,
        expires_on__gt=today,
    )
    return {
        person_id
        for person_id, categories in consents.values_list("person_id", "categories")
        if DataCategory.STATISTICAL in (categories or [])
    }


def linkage_input(*, at: datetime.datetime | None = None) -> LinkageInput:
    """Read every person record (as SYSTEM, audited) and decide which may be linked."""
    from safeharbor.survivors.models import Person

    at = at or timezone.now()
    people = list(
        Person.objects.visible_to(SYSTEM)
        .select_related("agency")
        .only("pk", "agency__vawa_covered", "agency__id", *FIELDS_READ)
        .order_by("pk")
    )
    vawa_ids = [p.pk for p in people if p.agency.vawa_covered]
    consented = statistical_consent_person_ids(vawa_ids, at=at) if vawa_ids else set()
    result = LinkageInput()
    read_per_agency: Counter[int] = Counter()
    for person in people:
        result.person_agency[person.pk] = person.agency_id
        if person.agency.vawa_covered and person.pk not in consented:
            result.excluded_no_consent.add(person.pk)
            continue
        read_per_agency[person.agency_id] += 1
        result.linkable.add(person.pk)
        result.rows.append(
            {
                "record_id": str(person.pk),
                "source": str(person.agency_id),
                **linkage_fields(person),
            }
        )
    for agency_id, count in sorted(read_per_agency.items()):
        audit_record(
            action=AuditAction.LIST,
            actor=SYSTEM,
            agency_id=agency_id,
            object_type="survivors.person",
            object_id=count,
            fields=FIELDS_READ,
            reason="linkage_run",
        )
    return result


def known_links() -> list[tuple[int, int]]:
    """Pairs of person records known to be one person: an accepted referral's two records."""
    from safeharbor.referrals.models import Referral

    return [
        (a, b)
        for a, b in Referral.objects.visible_to(SYSTEM)
        .filter(receiving_person__isnull=False)
        .values_list("person_id", "receiving_person_id")
        .order_by("pk")
        if a and b
    ]


def linkage_fields(person: Any) -> dict[str, Any]:
    """A person's identity values in the linkage input's columns (record_id and source are
    the caller's: the database run and the offline-encoding export name records apart)."""
    return {
        "given_name": person.given_name,
        "family_name": person.family_name,
        "alias": [str(a) for a in person.aliases or []],
        "dob": person.dob,
        "sex": person.sex,
        "phone": [str(n) for n in person.phones or []],
        "address": person.address,
        "city": person.city,
        "postcode": person.postcode,
    }
