"""Portland demo data for this area: a few dozen synthetic people across the agencies.

Every name, date and number is invented. Some young people are recorded by two agencies
(child welfare and a victim-service provider) with slightly different spellings, so the
linkage area has real duplicates to find. Idempotent: records are keyed by
``source_record_id`` (``demo-...``) and skipped when present.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from safeharbor.accounts.models import Agency, Membership, Program

from .choices import (
    CaseCloseReason,
    ConsentPurpose,
    DataCategory,
    EstimateBasis,
    IdentificationBasis,
    IdentificationStatus,
    ServiceStatus,
    ServiceType,
    SignerRole,
    TraffickingType,
)
from .instruments import default as default_instrument
from .models import Person, ScreeningInstrument
from .screening import items_of
from .services import (
    SignerInput,
    case_decide_close,
    case_note_add,
    case_open,
    case_request_close,
    case_service_add,
    consent_record,
    identification_change_status,
    identification_record,
    missing_episode_open,
    missing_episode_report,
    person_create,
    screening_record,
)

GIVEN = [
    "Ariana",
    "Bree",
    "Cami",
    "Dani",
    "Elin",
    "Fern",
    "Gia",
    "Hana",
    "Ivy",
    "Jade",
    "Kira",
    "Lena",
    "Mara",
    "Nia",
    "Opal",
    "Pia",
    "Quinn",
    "Rae",
    "Sage",
    "Tala",
    "Uma",
    "Vera",
    "Wren",
    "Xena",
    "Yara",
    "Zoe",
    "Ash",
    "Bo",
    "Cruz",
    "Devi",
]
FAMILY = [
    "Alderbrook",
    "Birchfield",
    "Cedarlane",
    "Dunmore",
    "Elmstead",
    "Fairhollow",
    "Glenrock",
    "Hazelton",
    "Ironwood",
    "Juniperlee",
    "Kestrelton",
    "Larchmont",
    "Maplewick",
    "Northcote",
    "Oakhurst",
    "Pinecrest",
    "Quarrydale",
    "Rowanford",
    "Sprucedale",
    "Thistlewood",
]
STREET = ["Brightwater", "Cobble", "Fennel", "Lantern", "Meadowlark", "Saltmarsh", "Tidewell"]
ALIASES = ["Lucky", "Star", "Peach", "Sunny", "Blue", "Kitten", "Ace", "Honey", "Jinx"]
AREAS = ["Downtown", "Old Town", "Lents", "Gateway", "St. Johns", "Hollywood", "Cully"]
COUNTIES = ["Multnomah", "Multnomah", "Multnomah", "Washington", "Clackamas"]

# Where each agency's records go, and who is assigned.
AGENCY_WORKERS = {
    "lifeworks-nw": "caseworker@demo.safeharbor.example",
    "oregon-dhs": "dhs-caseworker@demo.safeharbor.example",
    "gateway-center": "gateway-advocate@demo.safeharbor.example",
    "join": "join-caseworker@demo.safeharbor.example",
    "portland-police": "detective@demo.safeharbor.example",
}
AGENCY_COUNTS = {
    "lifeworks-nw": 8,
    "oregon-dhs": 6,
    "gateway-center": 5,
    "join": 4,
    "portland-police": 4,
}
SUPERVISORS = {
    "lifeworks-nw": "supervisor@demo.safeharbor.example",
    "oregon-dhs": "dhs-supervisor@demo.safeharbor.example",
}


@dataclass
class DemoPerson:
    key: str
    given: str
    family: str
    dob: datetime.date | None
    sex: str
    aliases: list[str] = field(default_factory=list)
    phone: str = ""
    estimated_age: int | None = None


def _membership(email: str, agency: Agency) -> Membership | None:
    return (
        Membership.objects.select_related("user", "agency", "role")
        .filter(user__email__iexact=email, agency=agency, is_active=True)
        .first()
    )


def _phone(rng: random.Random) -> str:
    # 555-01xx numbers are reserved for fiction.
    return f"503-555-01{rng.randint(0, 99):02d}"


def _people(rng: random.Random, today: datetime.date) -> dict[str, list[DemoPerson]]:
    result: dict[str, list[DemoPerson]] = {slug: [] for slug in AGENCY_COUNTS}
    for slug, count in AGENCY_COUNTS.items():
        for n in range(count):
            juvenile = slug in {"oregon-dhs"} or rng.random() < 0.35
            age_days = (
                rng.randint(13 * 365, 17 * 365) if juvenile else rng.randint(18 * 365, 40 * 365)
            )
            known_dob = rng.random() < 0.8
            result[slug].append(
                DemoPerson(
                    key=f"demo-{slug}-{n + 1:02d}",
                    given=rng.choice(GIVEN),
                    family=rng.choice(FAMILY),
                    dob=today - datetime.timedelta(days=age_days) if known_dob else None,
                    estimated_age=None if known_dob else age_days // 365,
                    sex=rng.choice(["F", "F", "F", "M", "X"]),
                    aliases=[rng.choice(ALIASES)] if rng.random() < 0.5 else [],
                    phone=_phone(rng) if rng.random() < 0.7 else "",
                )
            )
    # The same young people, known to child welfare and to a victim-service provider, with
    # the small differences real records have.
    shared = [
        ("Maya", "Thornbury", datetime.date(today.year - 16, 4, 17), "Mya", "Thornberry"),
        ("Josie", "Wexford", datetime.date(today.year - 15, 9, 3), "Josephine", "Wexford"),
        ("Kayla", "Brennock", datetime.date(today.year - 17, 1, 22), "Kaila", "Brennock"),
    ]
    for index, (given, family, dob, given2, family2) in enumerate(shared, start=1):
        phone = f"971-555-01{index:02d}"
        result["oregon-dhs"].append(
            DemoPerson(f"demo-shared-{index}-dhs", given, family, dob, "F", ["Sunny"], phone)
        )
        other = "lifeworks-nw" if index != 2 else "gateway-center"
        result[other].append(
            DemoPerson(f"demo-shared-{index}-{other}", given2, family2, dob, "F", [], phone)
        )
    return result


@transaction.atomic
def load() -> None:
    rng = random.Random(20261128)  # noqa: S311 # nosec B311 - demo data, not security
    today = timezone.localdate()
    now = timezone.now()
    instrument = ScreeningInstrument.objects.filter(
        slug=default_instrument.SLUG, version=default_instrument.VERSION
    ).first()
    item_keys = [item["key"] for item in items_of(default_instrument.DEFINITION)]
    programs = {p.slug: p for p in Program.objects.all()}
    agencies = {a.slug: a for a in Agency.objects.filter(slug__in=AGENCY_COUNTS)}
    if len(agencies) != len(AGENCY_COUNTS):
        return  # the accounts demo has not run
    for slug, people in _people(rng, today).items():
        agency = agencies[slug]
        worker = _membership(AGENCY_WORKERS[slug], agency)
        supervisor = _membership(SUPERVISORS.get(slug, ""), agency) if slug in SUPERVISORS else None
        if worker is None:
            continue
        existing = set(
            Person.objects.filter(agency=agency, source_record_id__startswith="demo-").values_list(
                "source_record_id", flat=True
            )
        )
        for index, spec in enumerate(people):
            if spec.key in existing:
                continue
            person = person_create(
                membership=worker,
                values={
                    "source_record_id": spec.key,
                    "given_name": spec.given,
                    "family_name": spec.family,
                    "aliases": spec.aliases,
                    "dob": spec.dob,
                    "estimated_age": spec.estimated_age,
                    "estimated_age_basis": EstimateBasis.SELF_REPORT if spec.estimated_age else "",
                    "sex": spec.sex,
                    "phones": [spec.phone] if spec.phone else [],
                    "address": f"{rng.randint(100, 9999)} SE {rng.choice(STREET)} St",
                    "city": "Portland",
                    "postcode": rng.choice(["97202", "97206", "97211", "97220", "97266"]),
                    "area": rng.choice(AREAS),
                    "county": rng.choice(COUNTIES),
                    "languages": rng.choice([["English"], ["English", "Spanish"], ["Spanish"]]),
                    "in_state_custody": slug == "oregon-dhs",
                    "custodial_agency": agencies["oregon-dhs"] if slug == "oregon-dhs" else None,
                    "safe_contact": {
                        "methods": rng.choice([["text"], ["call", "text"], ["call"]]),
                        "safe_times": rng.choice(["Weekdays after 3 pm", "Mornings only", ""]),
                        "code_word": rng.choice(["", "blue kite", "river stone"]),
                        "leave_message": rng.random() < 0.3,
                    },
                    "abusers": ["Rex Stanwick"] if index % 7 == 3 else [],
                },
            )
            answers = {key: rng.choice(["yes", "no", "no", "unknown"]) for key in item_keys}
            screening = None
            if instrument is not None:
                screening = screening_record(
                    membership=worker,
                    person=person,
                    instrument=instrument,
                    answers=answers,
                    screened_on=today - datetime.timedelta(days=rng.randint(20, 200)),
                )
            if screening is not None and screening.suggests_identification:
                identification = identification_record(
                    membership=worker,
                    person=person,
                    status=IdentificationStatus.SUSPECTED,
                    identified_on=screening.screened_on,
                    basis=IdentificationBasis.SCREENING,
                    trafficking_type=TraffickingType.SEX,
                    screening=screening,
                )
                if index % 3 == 0:
                    identification_change_status(
                        membership=worker,
                        identification=identification,
                        status=IdentificationStatus.CONFIRMED,
                        changed_on=min(today, screening.screened_on + datetime.timedelta(days=14)),
                        note="Disclosed in a later meeting.",
                    )
            elif index % 4 == 1:
                identification_record(
                    membership=worker,
                    person=person,
                    status=IdentificationStatus.SUSPECTED,
                    identified_on=today - datetime.timedelta(days=rng.randint(5, 90)),
                    basis=IdentificationBasis.REFERRAL,
                )
            if slug == "portland-police":
                continue
            case = case_open(
                membership=worker,
                person=person,
                opened_on=today - datetime.timedelta(days=rng.randint(10, 180)),
                needs="Safe place to stay; help with an ID card; counseling.",
                goals="Stable housing within three months; re-enroll in school or training.",
                safety_plan="Check in by text each evening. Avoid the downtown transit mall.",
            )
            for service_type in rng.sample(list(ServiceType.values), 2):
                delivered = rng.random() < 0.6
                case_service_add(
                    membership=worker,
                    case=case,
                    service_type=service_type,
                    status=ServiceStatus.DELIVERED if delivered else ServiceStatus.PLANNED,
                    delivered_on=case.opened_on + datetime.timedelta(days=rng.randint(0, 9))
                    if delivered
                    else None,
                    planned_on=None if delivered else today + datetime.timedelta(days=7),
                )
            case_note_add(
                membership=worker,
                case=case,
                body="Met at the drop-in center. Wants help with school enrollment first.",
            )
            if index == 2 and supervisor is not None:
                case_request_close(
                    membership=worker,
                    case=case,
                    reason=CaseCloseReason.GOALS_MET,
                    note="Housed and working; wants to close.",
                )
            if index == 4 and supervisor is not None:
                case_request_close(
                    membership=worker,
                    case=case,
                    reason=CaseCloseReason.MOVED,
                    note="Moved to live with an aunt in another state.",
                )
                case_decide_close(membership=supervisor, case=case, approve=True)
            juvenile = person.age_band in {"under_12", "12_14", "15_17"}
            if index % 2 == 0 and slug in {"lifeworks-nw", "gateway-center", "oregon-dhs"}:
                signers = [SignerInput(SignerRole.PERSON, f"{spec.given} {spec.family}")]
                if juvenile and not person.emancipated:
                    if person.in_state_custody:
                        signers.append(
                            SignerInput(
                                SignerRole.CUSTODIAL_AGENCY, "Dana Caseworker", "DHS caseworker"
                            )
                        )
                    else:
                        signers.append(
                            SignerInput(SignerRole.PARENT, f"Robin {spec.family}", "mother")
                        )
                signed_on = today - datetime.timedelta(days=rng.randint(1, 60))
                consent_record(
                    membership=worker,
                    person=person,
                    recipient_agencies=[agencies["join"]],
                    recipient_programs=[programs["survivor-housing-pilot"]]
                    if "survivor-housing-pilot" in programs
                    else [],
                    categories=[DataCategory.IDENTITY, DataCategory.CASE],
                    purpose=ConsentPurpose.HOUSING,
                    signed_on=signed_on,
                    expires_on=signed_on + datetime.timedelta(days=180),
                    signers=signers,
                )
            if juvenile and index in {1, 5}:
                episode = missing_episode_open(
                    membership=worker,
                    person=person,
                    learned_at=now - datetime.timedelta(hours=30 if index == 1 else 5),
                    last_seen_at=now - datetime.timedelta(hours=36 if index == 1 else 8),
                    circumstances="Did not come back to the placement after school.",
                )
                if index == 1:
                    missing_episode_report(
                        membership=worker,
                        episode=episode,
                        to="police",
                        reported_at=episode.learned_at + datetime.timedelta(hours=3),
                        number="PPB-26-0000" + str(rng.randint(10, 99)),
                    )
