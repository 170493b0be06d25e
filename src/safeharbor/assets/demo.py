"""Portland demo of seized property. A car seized from an exploiter goes from seizure through
notice, an unclaimed claim window and a forfeiture judgment to a public auction; its net
proceeds are split 75/25 by the fund's rules and the victim-services share is allocated to
the survivor housing pilot. Cash found in the car is held in the fund until forfeited, then
deposited. A laptop from the car is overdue for notice and a buyer's phone awaits notice
(deadlines on the property officer's home page and the dashboard's forfeiture pipeline).
All synthetic; idempotent; dates follow today."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from safeharbor.accounts.models import Agency, Membership, Program

from . import services
from .choices import AssetKind, DispositionMethod, ForfeitureState, NoticeMethod
from .models import SeizedAsset

POLICE = "portland-police"
FUND_SLUG = "human-trafficking-fund"
CAR_CASE = "HTU-DEMO-002"
CAR = {
    "gross_proceeds": Decimal("9800.00"),
    "towing_costs": Decimal("325.00"),
    "storage_costs": Decimal("1150.00"),
    "auction_costs": Decimal("980.00"),
    "attorney_commission": Decimal("545.00"),
}
CAR_NET = Decimal("6800.00")
VICTIM_SHARE_OF_CAR = Decimal("5100.00")


def _membership(email: str, agency: Agency) -> Membership | None:
    return (
        Membership.objects.filter(user__email__iexact=email, agency=agency, is_active=True)
        .select_related("user", "agency", "role")
        .first()
    )


def _at(day: datetime.date, hour: int = 14) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


@transaction.atomic
def load() -> None:
    from safeharbor.enforcement import services as enforcement
    from safeharbor.enforcement.models import Contact, Operation
    from safeharbor.funds import services as funds
    from safeharbor.funds.models import Fund
    from safeharbor.funds.permissions import SYSTEM

    police = Agency.objects.filter(slug=POLICE).first()
    fund = Fund.objects.filter(slug=FUND_SLUG).first()
    if police is None or fund is None or SeizedAsset.objects.filter(agency=police).exists():
        return
    keeper = _membership("property-officer@demo.safeharbor.example", police)
    detective = _membership("detective@demo.safeharbor.example", police)
    officer = _membership("officer@demo.safeharbor.example", police)
    housing = Program.objects.filter(slug="survivor-housing-pilot").first()
    if keeper is None or detective is None or officer is None or housing is None:
        return
    today = timezone.localdate()

    def day(n: int) -> datetime.date:
        return today - datetime.timedelta(days=n)

    services.policy_configure(
        membership=keeper, fund=fund, claim_window_days=30, notice_within_days=21
    )

    # The car: an exploiter's sedan, seized in an investigation, sold at auction.
    exploiter = enforcement.subject_create(
        membership=detective,
        kind="exploiter",
        aliases=["Synthetic Handle 12"],
        description="Demo: drove people to motels along the corridor.",
    )
    investigation = enforcement.investigation_open(
        membership=detective,
        case_number=CAR_CASE,
        title="Motel corridor transport",
        opened_on=day(130),
        lead_detective=detective.user,
        subjects=[exploiter],
        summary="A car used to drive people to motels; seized and forfeited.",
    )
    car = services.asset_seize(
        membership=detective,
        subject=exploiter,
        investigation=investigation,
        kind=AssetKind.VEHICLE,
        description="2014 silver sedan",
        seized_at=_at(day(120), 16),
        seized_where="Outer Southeast corridor",
        estimated_value=Decimal("10500.00"),
        vin="1SYNTH00000000014",
        plate="DEMO014",
        make="Synthetic Motors",
        model_name="Sedan LX",
        year=2014,
        custodian="Demo Towing Co.",
        location="On tow truck",
        seal_number="S-104233",
    )
    services.custody_transfer(
        membership=keeper,
        asset=car,
        to_custodian="Property and evidence unit",
        location="Police impound lot, bay 12",
        reason="Towed to impound",
        occurred_at=_at(day(120), 19),
        seal_number="S-104233",
    )
    services.forfeiture_advance(
        membership=keeper,
        asset=car,
        to_state=ForfeitureState.NOTICE_SENT,
        occurred_on=day(115),
        notice_recipients="Registered owner (subject of the investigation)",
        notice_method=NoticeMethod.CERTIFIED_MAIL,
    )
    services.forfeiture_advance(
        membership=keeper,
        asset=car,
        to_state=ForfeitureState.NO_CLAIM,
        occurred_on=day(80),
        notes="No claim filed within 30 days of notice.",
    )
    services.forfeiture_advance(
        membership=keeper,
        asset=car,
        to_state=ForfeitureState.FORFEITED,
        occurred_on=day(70),
        court_case_number="DEMO-CV-26-0217",
        notes="Judgment of forfeiture.",
    )
    services.custody_transfer(
        membership=keeper,
        asset=car,
        to_custodian="Demo Auto Auction",
        location="Demo Auto Auction yard",
        reason="Released for public auction",
        occurred_at=_at(day(40), 10),
    )
    services.asset_dispose(
        membership=keeper,
        asset=car,
        method=DispositionMethod.SOLD,
        disposed_on=day(30),
        sold_to="Auction lot DEMO-88",
        **CAR,
    )
    funds.allocation_create(
        actor=SYSTEM,
        membership=None,
        fund=fund,
        program=housing,
        share=fund.shares.order_by("order").first(),
        purpose=f"Rent help from the sale of seized vehicle {car.reference}",
        amount=VICTIM_SHARE_OF_CAR,
        allocated_on=day(30),
    )

    # Cash found in the same car, counted by two officers, held in the fund until forfeited
    # and then deposited.
    cash = services.asset_seize(
        membership=detective,
        subject=exploiter,
        investigation=investigation,
        kind=AssetKind.CASH,
        description="Cash found in the glove box",
        seized_at=_at(day(120), 17),
        seized_where="Outer Southeast corridor",
        cash_amount=Decimal("480.00"),
        counted_by=detective.user,
        witnessed_by=officer.user,
        custodian="Property and evidence unit",
        location="Evidence safe",
        seal_number="S-104234",
    )
    for state, days, extra in (
        (
            ForfeitureState.NOTICE_SENT,
            115,
            {
                "notice_recipients": "The person the cash was seized from",
                "notice_method": NoticeMethod.PERSONAL_SERVICE,
            },
        ),
        (ForfeitureState.NO_CLAIM, 80, {}),
        (ForfeitureState.FORFEITED, 70, {"court_case_number": "DEMO-CV-26-0218"}),
    ):
        services.forfeiture_advance(
            membership=keeper, asset=cash, to_state=state, occurred_on=day(days), **extra
        )
    services.asset_dispose(
        membership=keeper,
        asset=cash,
        method=DispositionMethod.CASH_DEPOSITED,
        disposed_on=day(65),
    )

    # A laptop from the same car, its notice deadline passed without notice: the property
    # officer's home page and the dashboard's forfeiture pipeline show it as overdue.
    services.asset_seize(
        membership=detective,
        subject=exploiter,
        investigation=investigation,
        kind=AssetKind.COMPUTER,
        description="Laptop found on the back seat",
        seized_at=_at(day(45), 17),
        seized_where="Outer Southeast corridor",
        estimated_value=Decimal("350.00"),
        serial_number="DEMO-SN-0045",
        custodian="Property and evidence unit",
        location="Evidence room, shelf B",
        seal_number="S-104288",
    )

    # From the reverse sting: a buyer's phone, its notice due soon.
    sting = Operation.objects.filter(agency=police, name__startswith="Airport hotels").first()
    buyers = list(
        Contact.objects.filter(operation=sting, role="buyer").select_related("subject")
        if sting
        else []
    )
    if sting is None or not buyers:
        return
    seized_on = max(sting.started_on, day(12))
    services.asset_seize(
        membership=officer,
        subject=buyers[0].subject,
        operation=sting,
        contact=buyers[0],
        kind=AssetKind.PHONE,
        description="Smartphone used to answer ads",
        seized_at=_at(seized_on, 22),
        seized_where="Airport-area hotels",
        estimated_value=Decimal("180.00"),
        imei="350000000000017",
        custodian="Property and evidence unit",
        location="Evidence room, shelf C",
        seal_number="S-104301",
    )
