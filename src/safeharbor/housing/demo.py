"""Portland demo of the survivor housing pilot: JOIN runs it with LifeWorks NW and the City;
six women (synthetic people) live in their own apartments with rent help paid from the
restricted fund. Idempotent: runs after the funds (60) and survivors (50) demos.

LifeWorks NW serves the women (it owns their records and placements); JOIN works on four of
the placements, with the women's written consent, and LifeWorks' own housing advocate on the
other two. Rent help is scheduled from each plan, approved by the LifeWorks supervisor and
paid (as the system actor) from an allocation of the fund to the pilot.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from safeharbor.accounts.models import Agency, Membership, Program

PILOT_SLUG = "survivor-housing-pilot"
OWNER_SLUG = "lifeworks-nw"
PARTNER_SLUGS = ("join", "lifeworks-nw", "city-of-portland")
WORKER_EMAIL = "caseworker@demo.safeharbor.example"
SUPERVISOR_EMAIL = "supervisor@demo.safeharbor.example"
JOIN_WORKER_EMAIL = "join-caseworker@demo.safeharbor.example"
SOURCE_PREFIX = "demo-housing-"


@dataclass(frozen=True)
class Woman:
    key: str
    given: str
    family: str
    age: int
    partner: str  # agency slug
    move_in_days: int  # after the start of the previous fiscal year
    rent: str
    help: str
    months: int
    income_start: str
    income_annual: str | None
    bedrooms: int
    address: str


WOMEN = [
    Woman(
        "1",
        "Rosa",
        "Alderwick",
        24,
        "join",
        40,
        "1150.00",
        "550.00",
        18,
        "0.00",
        "1420.00",
        1,
        "1200 SE Demo Street, Apt 4, Portland OR 97214",
    ),
    Woman(
        "2",
        "Keisha",
        "Birchfield",
        31,
        "join",
        75,
        "1080.00",
        "500.00",
        18,
        "400.00",
        "1650.00",
        1,
        "88 NE Example Avenue, Unit 12, Portland OR 97232",
    ),
    Woman(
        "3",
        "Lena",
        "Cedarholm",
        27,
        "lifeworks-nw",
        120,
        "990.00",
        "450.00",
        12,
        "250.00",
        None,
        0,
        "415 N Sample Court, Apt B, Portland OR 97217",
    ),
    Woman(
        "4",
        "Tamsin",
        "Dunmore",
        38,
        "join",
        200,
        "1240.00",
        "600.00",
        24,
        "600.00",
        None,
        2,
        "3021 SE Placeholder Road, Apt 7, Portland OR 97202",
    ),
    Woman(
        "5",
        "Ana",
        "Elmsworth",
        22,
        "lifeworks-nw",
        290,
        "1020.00",
        "480.00",
        12,
        "0.00",
        None,
        1,
        "77 SW Fictional Lane, Apt 21, Portland OR 97201",
    ),
    Woman(
        "6",
        "Joy",
        "Fernhill",
        29,
        "join",
        360,
        "1100.00",
        "520.00",
        18,
        "900.00",
        None,
        1,
        "5150 NE Invented Boulevard, Apt 3, Portland OR 97218",
    ),
]


def _fiscal_year_start(on: datetime.date) -> datetime.date:
    return datetime.date(on.year if on.month >= 7 else on.year - 1, 7, 1)


def _membership(email: str, slug: str) -> Membership | None:
    return (
        Membership.objects.select_related("user", "agency", "role")
        .filter(user__email__iexact=email, agency__slug=slug, is_active=True)
        .first()
    )


def load() -> None:
    from safeharbor.funds.models import Fund

    from .models import Placement

    program = Program.objects.filter(slug=PILOT_SLUG).first()
    worker = _membership(WORKER_EMAIL, OWNER_SLUG)
    fund = Fund.objects.filter(agency__slug="city-of-portland").first()
    if program is None or worker is None or fund is None:
        return  # the accounts or funds demo has not run
    if Placement.objects.filter(
        program__program=program, person__source_record_id__startswith=SOURCE_PREFIX
    ).exists():
        return
    with transaction.atomic():
        _load(program, worker, fund)


def _load(program: Program, worker: Membership, fund: Any) -> None:
    from safeharbor.core.actors import SYSTEM
    from safeharbor.funds import services as funds
    from safeharbor.funds.models import Allocation, DistributionShare
    from safeharbor.funds.selectors import fund_overview, with_balances
    from safeharbor.survivors.services.consent import SignerInput, consent_record
    from safeharbor.survivors.services.persons import person_create

    from . import services
    from .choices import ProjectType

    today = timezone.localdate()
    anchor = _fiscal_year_start(today).replace(year=_fiscal_year_start(today).year - 1)
    partners = {a.slug: a for a in Agency.objects.filter(slug__in=PARTNER_SLUGS)}
    housing = services.housing_program_configure(
        membership=None,
        program=program,
        project_type=ProjectType.RAPID_REHOUSING,
        partners=list(partners.values()),
        allows_juveniles=False,
    )
    supervisor = _membership(SUPERVISOR_EMAIL, OWNER_SLUG)
    join_worker = _membership(JOIN_WORKER_EMAIL, "join")
    lifeworks = worker.agency

    placements = []
    for woman in WOMEN:
        move_in = anchor + datetime.timedelta(days=woman.move_in_days)
        if move_in > today:
            continue
        start = move_in - datetime.timedelta(days=21)
        referral = start - datetime.timedelta(days=10 + 3 * int(woman.key))
        person = person_create(
            membership=worker,
            values={
                "source_record_id": f"{SOURCE_PREFIX}{woman.key}",
                "given_name": woman.given,
                "family_name": woman.family,
                "dob": today.replace(year=today.year - woman.age, day=1),
                "sex": "F",
            },
        )
        partner = partners[woman.partner]
        if partner != lifeworks:
            consent_record(
                membership=worker,
                person=person,
                recipient_agencies=[partner],
                recipient_programs=[program],
                categories=["identity", "case"],
                purpose="housing",
                signed_on=max(referral, today - datetime.timedelta(days=300)),
                expires_on=today + datetime.timedelta(days=60),
                signers=[SignerInput(role="person", name=f"{woman.given} {woman.family}")],
            )
        unit = services.unit_create(
            membership=worker,
            agency=lifeworks,
            address=woman.address,
            landlord_name="Demo Property Management LLC",
            landlord_contact="leasing@property.demo.example",
            bedrooms=woman.bedrooms,
        )
        rent, help_ = Decimal(woman.rent), Decimal(woman.help)
        placement = services.placement_create(
            membership=worker,
            person=person,
            program=housing,
            partner_agency=partner,
            partner_caseworker=(
                join_worker.user if partner.slug == "join" and join_worker else worker.user
            ),
            unit=unit,
            referral_on=referral,
            start_on=start,
            move_in_on=move_in,
            lease_start_on=move_in,
            lease_months=12,
            rent=rent,
            assistance_months=woman.months,
            assistance_monthly=help_,
            participant_share=rent - help_,
            income_start=Decimal(woman.income_start),
        )
        if woman.income_annual and move_in + datetime.timedelta(days=365) <= today:
            placement = services.placement_update(
                membership=worker,
                placement=placement,
                values={
                    "income_annual": Decimal(woman.income_annual),
                    "income_annual_on": move_in + datetime.timedelta(days=365),
                },
            )
        services.assistance_schedule(membership=worker, placement=placement)
        placements.append(placement)

    # Months already due are approved and paid from the fund's allocations to the pilot,
    # each woman's latest month first, as far as the money goes; the rest wait for approval.
    queues = [
        [
            payment
            for payment in placement.assistance_payments.order_by("-month")
            if anchor <= payment.month <= today
        ]
        for placement in placements
    ]
    due = [q[i] for i in range(max(map(len, queues), default=0)) for q in queues if i < len(q)]
    if not due:
        return
    victim = DistributionShare.objects.filter(fund=fund, is_active=True).order_by("order").first()
    unallocated = next(
        (s.unallocated for s in fund_overview(fund).shares if s.share == victim), Decimal(0)
    )
    total = sum((p.amount for p in due), Decimal("0"))
    if unallocated > 0:
        funds.allocation_create(
            actor=SYSTEM,
            membership=None,
            fund=fund,
            program=program,
            share=victim,
            purpose="Rent help for the households of the survivor housing pilot",
            amount=min(total, unallocated),
            allocated_on=today,
        )
    allocations = list(
        with_balances(Allocation.objects.filter(fund=fund, program=program)).order_by(
            "fiscal_year__starts_on", "id"
        )
    )
    left = {a.pk: a.available for a in allocations}
    for payment in due:
        allocation = next((a for a in allocations if left[a.pk] >= payment.amount), None)
        if allocation is None:
            break
        services.assistance_approve(membership=supervisor, payment=payment)
        services.assistance_pay(
            membership=None,
            payment=payment,
            allocation=allocation,
            paid_on=min(today, payment.month + datetime.timedelta(days=1)),
        )
        left[allocation.pk] -= payment.amount
