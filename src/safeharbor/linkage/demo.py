"""Portland demo for linkage: young people known to both child welfare (Oregon DHS) and the
Police Bureau, some of them also to LifeWorks NW (VAWA-covered) — one with consent to
statistical linkage, one without — and then a first linkage run so the coordinator's home page
shows the unique count with its interval.

Records are added through the survivors area's services, as the agencies' own demo staff.
Every name, date and number is invented (555-01xx numbers are reserved for fiction).
Idempotent: records are keyed by ``source_record_id`` (``demo-linkage-...``); the run happens
only when no run has finished yet.
"""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.utils import timezone

from safeharbor.accounts.models import Agency, Membership

from .choices import RunStatus
from .models import LinkageRun

log = logging.getLogger(__name__)

# (given at DHS, family at DHS, given at the police, family at the police, age, month, day,
#  also known to LifeWorks NW: None, "consent" or "no consent")
YOUNG_PEOPLE = [
    ("Amara", "Velloway", "Amara", "Velloway", 16, 3, 14, "consent"),
    ("Brianna", "Coldwater", "Bri", "Coldwater", 15, 7, 2, "no consent"),
    ("Celeste", "Marchetti", "Celeste", "Marcheti", 17, 11, 23, None),
    ("Destiny", "Ashgrove", "Destinee", "Ashgrove", 14, 5, 9, None),
    ("Esperanza", "Ruelas", "Espe", "Ruelas", 16, 1, 30, None),
    ("Faith", "Okonkwo-Lind", "Faith", "Okonkwo", 15, 9, 12, None),
    ("Genesis", "Talbridge", "Genesis", "Tallbridge", 17, 2, 5, None),
    ("Harmony", "Vickery", "Harmonie", "Vickery", 16, 10, 19, None),
]


def _membership(email: str) -> Membership | None:
    return (
        Membership.objects.select_related("user", "agency", "role")
        .filter(user__email__iexact=email, is_active=True)
        .first()
    )


def load() -> None:
    _records()
    _first_run()


@transaction.atomic
def _records() -> None:
    from safeharbor.survivors.choices import (
        ConsentPurpose,
        DataCategory,
        IdentificationBasis,
        IdentificationStatus,
        SignerRole,
        TraffickingType,
    )
    from safeharbor.survivors.models import Person
    from safeharbor.survivors.services import (
        SignerInput,
        consent_record,
        identification_record,
        person_create,
    )

    dhs = _membership("dhs-caseworker@demo.safeharbor.example")
    police = _membership("detective@demo.safeharbor.example")
    lifeworks = _membership("caseworker@demo.safeharbor.example")
    city = Agency.objects.filter(slug="city-of-portland").first()
    if dhs is None or police is None or lifeworks is None or city is None:
        return  # the accounts demo has not run
    existing = set(
        Person.objects.filter(source_record_id__startswith="demo-linkage-").values_list(
            "source_record_id", flat=True
        )
    )
    today = timezone.localdate()
    for n, (given, family, given2, family2, age, month, day, vawa) in enumerate(
        YOUNG_PEOPLE, start=1
    ):
        dob = datetime.date(today.year - age, month, day)
        phone = f"503-555-01{40 + n:02d}"
        identified = today - datetime.timedelta(days=20 + 37 * n)
        entries = [
            (dhs, f"demo-linkage-{n}-dhs", given, family, IdentificationStatus.CONFIRMED),
            (police, f"demo-linkage-{n}-police", given2, family2, IdentificationStatus.SUSPECTED),
        ]
        if vawa:
            entries.append((lifeworks, f"demo-linkage-{n}-lifeworks", given, family, "suspected"))
        for membership, key, first, last, status in entries:
            if key in existing:
                continue
            person = person_create(
                membership=membership,
                values={
                    "source_record_id": key,
                    "given_name": first,
                    "family_name": last,
                    "dob": dob,
                    "sex": "F",
                    "phones": [phone] if n % 3 else [],
                    "city": "Portland",
                    "postcode": "97206",
                    "county": "Multnomah",
                    "in_state_custody": membership is dhs,
                    "custodial_agency": dhs.agency if membership is dhs else None,
                },
            )
            identification_record(
                membership=membership,
                person=person,
                status=IdentificationStatus.CONFIRMED
                if status == IdentificationStatus.CONFIRMED and n % 2
                else IdentificationStatus.SUSPECTED,
                identified_on=identified,
                basis=IdentificationBasis.INVESTIGATION
                if membership is police
                else IdentificationBasis.DISCLOSURE,
                trafficking_type=TraffickingType.SEX,
            )
            if membership is lifeworks and vawa == "consent":
                consent_record(
                    membership=membership,
                    person=person,
                    recipient_agencies=[city],
                    recipient_programs=[],
                    categories=[DataCategory.STATISTICAL],
                    purpose=ConsentPurpose.STATISTICS,
                    purpose_detail="Counting unique young people across agencies.",
                    signed_on=today - datetime.timedelta(days=7),
                    expires_on=today + datetime.timedelta(days=180),
                    signers=[
                        SignerInput(SignerRole.PERSON, f"{first} {last}"),
                        SignerInput(SignerRole.PARENT, f"Jordan {last}", "mother"),
                    ],
                )


def _first_run() -> None:
    """Link the demo's records once (a couple of seconds), so the counts are there."""
    from . import services

    if LinkageRun.objects.filter(status=RunStatus.SUCCEEDED).exists():
        return
    city = Agency.objects.filter(slug="city-of-portland").first()
    if city is None:
        return
    run = services.linkage_run_create(membership=None, agency=city)
    services.linkage_run_execute(run_id=run.pk)
