"""Portland demo of the restricted fund: forfeiture proceeds (a vehicle sold at auction,
seized cash, phones and a laptop), the 75/25 split, allocations to New Options for Women,
the survivor housing pilot and the police unit, and payments. All synthetic; idempotent.

Dates follow today: the last complete fiscal year (1 July to 30 June) has a full year of
activity for the annual report, and the current year has a little."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from safeharbor.accounts.models import Agency, Program

from . import services
from .choices import PropertyKind
from .forms import SEIZURE_SOURCE
from .models import Fund
from .permissions import SYSTEM

FUND_SLUG = "human-trafficking-fund"
AUTHORITY = (
    "City of Portland ordinance (2010): proceeds of property forfeited by buyers and "
    "exploiters — never the person sold — go, after case costs, 75% to victim services and "
    "25% to police. Records and annual reporting under ORS chapter 131A."
)


def _fiscal_year_start(on: datetime.date) -> datetime.date:
    return datetime.date(on.year if on.month >= 7 else on.year - 1, 7, 1)


def _year_name(start: datetime.date) -> str:
    return f"FY {start.year}-{str(start.year + 1)[-2:]}"


@transaction.atomic
def load() -> None:
    if Fund.objects.filter(slug=FUND_SLUG).exists():
        return
    city = Agency.objects.get(slug="city-of-portland")
    programs = {p.slug: p for p in Program.objects.all()}
    fund = services.fund_setup(
        actor=SYSTEM,
        membership=None,
        agency=city,
        name="Human Trafficking Special Revenue Fund",
        slug=FUND_SLUG,
        shares=[("Victim services", Decimal("75")), ("Police", Decimal("25"))],
        authority=AUTHORITY,
        description="Restricted fund for proceeds of property seized in trafficking cases.",
    )
    current = _fiscal_year_start(timezone.localdate())
    previous = current.replace(year=current.year - 1)
    for start in (previous, current):
        services.fiscal_year_create(
            actor=SYSTEM,
            membership=None,
            fund=fund,
            name=_year_name(start),
            starts_on=start,
            ends_on=start.replace(year=start.year + 1) - datetime.timedelta(days=1),
        )
    victim, police = fund.shares.order_by("order")
    day = previous

    def on(days: int, base: datetime.date = day) -> datetime.date:
        return base + datetime.timedelta(days=days)

    def receive(days: int, kind: str, text: str, gross: str, costs: str, case: str, **kw):
        return services.receipt_record(
            actor=SYSTEM,
            membership=None,
            fund=fund,
            received_on=on(days, kw.pop("base", day)),
            property_kind=kind,
            description=text,
            gross_amount=Decimal(gross),
            case_costs=Decimal(costs),
            case_reference=case,
            **kw,
        )

    receive(
        74,
        PropertyKind.VEHICLE,
        "2012 sedan sold at public auction (towing $350, storage $600, auction $840)",
        "8400.00",
        "1790.00",
        "DEMO-CV-24-0142",
    )
    services.held_cash_receive(
        actor=SYSTEM,
        membership=None,
        fund=fund,
        amount=Decimal("2350.00"),
        received_on=on(40),
        description="Cash seized from a buyer during a mission, counted by two officers",
        source_type=SEIZURE_SOURCE,
        source_id="DEMO-S-0311",
    )
    receive(
        131,
        PropertyKind.CASH,
        "Seized cash forfeited by court judgment",
        "2350.00",
        "0.00",
        "DEMO-CV-24-0311",
        from_held_cash=True,
        source_type=SEIZURE_SOURCE,
        source_id="DEMO-S-0311",
    )
    receive(
        160,
        PropertyKind.PHONE,
        "Two phones and a laptop sold after data wiping",
        "640.00",
        "95.00",
        "DEMO-CV-24-0377",
    )
    services.held_cash_receive(
        actor=SYSTEM,
        membership=None,
        fund=fund,
        amount=Decimal("600.00"),
        received_on=on(300),
        description="Cash seized from an exploiter; forfeiture pending",
        source_type=SEIZURE_SOURCE,
        source_id="DEMO-S-0420",
    )

    def allocate(program: str, share, amount: str, purpose: str, days: int, base=day):
        return services.allocation_create(
            actor=SYSTEM,
            membership=None,
            fund=fund,
            program=programs[program],
            share=share,
            purpose=purpose,
            amount=Decimal(amount),
            allocated_on=on(days, base),
        )

    def pay(allocation, amount: str, payee: str, reference: str, days: int, base=day):
        services.payment_post(
            actor=SYSTEM,
            membership=None,
            allocation=allocation,
            amount=Decimal(amount),
            payee=payee,
            reference=reference,
            paid_on=on(days, base),
        )

    now_services = allocate(
        "new-options-for-women",
        victim,
        "4000.00",
        "Advocacy and counseling for women and girls leaving exploitation",
        170,
    )
    housing = allocate(
        "survivor-housing-pilot", victim, "3000.00", "Rent help in the survivor housing pilot", 175
    )
    unit = allocate(
        "human-trafficking-unit", police, "2000.00", "Training in victim-centered interviews", 180
    )
    pay(now_services, "1500.00", "LifeWorks NW", "INV-DEMO-1001", 200)
    pay(now_services, "1250.00", "LifeWorks NW", "INV-DEMO-1002", 290)
    pay(housing, "950.00", "Demo Property Management LLC", "RA-DEMO-0001", 210)
    pay(housing, "950.00", "Demo Property Management LLC", "RA-DEMO-0002", 240)
    pay(unit, "1200.00", "Demo Training Institute", "INV-DEMO-2001", 250)

    # The current year so far: another vehicle, and more for the housing pilot.
    if timezone.localdate() >= on(20, current):
        receive(
            10,
            PropertyKind.VEHICLE,
            "2016 pickup sold at public auction (towing $300, storage $450, auction $400)",
            "5200.00",
            "1150.00",
            "DEMO-CV-25-0108",
            base=current,
        )
        more_housing = allocate(
            "survivor-housing-pilot",
            victim,
            "2500.00",
            "Rent help in the survivor housing pilot",
            15,
            base=current,
        )
        pay(more_housing, "950.00", "Demo Property Management LLC", "RA-DEMO-0013", 20, current)
