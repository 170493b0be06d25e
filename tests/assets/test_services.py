"""Seized property: seizure rules, the custody chain, the forfeiture state machine,
disposition and what each step posts to the fund."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from safeharbor.accounts.models import Notification
from safeharbor.assets import selectors, services
from safeharbor.assets.choices import AssetKind, DispositionMethod, ForfeitureState
from safeharbor.assets.models import CustodyEvent, Disposition, ForfeitureEvent, SeizedAsset
from safeharbor.audit.models import AuditEvent
from safeharbor.enforcement.choices import ContactRole, ReferralDecision
from safeharbor.enforcement.models import Contact
from safeharbor.funds import selectors as fund_selectors
from safeharbor.funds.choices import AccountRole
from safeharbor.funds.models import JournalEntry, JournalLine
from tests import factories

from .conftest import at, days_ago, seize_car, seize_cash

pytestmark = pytest.mark.django_db
S = ForfeitureState


def advance(membership, asset, to_state, days, **extra):
    return services.forfeiture_advance(
        membership=membership, asset=asset, to_state=to_state, occurred_on=days_ago(days), **extra
    )


def to_forfeited(keeper, asset):
    advance(
        keeper, asset, S.NOTICE_SENT, 110, notice_recipients="Owner", notice_method="publication"
    )
    advance(keeper, asset, S.NO_CLAIM, 70)
    advance(keeper, asset, S.FORFEITED, 60, court_case_number="CV-T-1")


def role_balance(fund, role):
    lines = JournalLine.objects.filter(entry__fund=fund, account__role=role)
    return sum((line.debit - line.credit for line in lines), Decimal("0"))


# Seizure ------------------------------------------------------------------------------------


def test_a_seizure_records_the_first_custody_event_and_the_notice_deadline(
    detective, exploiter, investigation, policy
):
    car = seize_car(detective, exploiter, investigation, seal_number="S-1")
    assert car.reference.endswith("-0001")
    assert car.state == S.SEIZED
    # 21 days (the policy's) from the seizure's date where it happened: the local date of
    # the moment, not today's date minus days (they differ by one across a clock change).
    seized_on = timezone.localdate(car.seized_at)
    assert car.notice_due_on == seized_on + datetime.timedelta(days=21)
    (event,) = car.custody_events.all()
    assert event.to_custodian == "Evidence unit" and event.seal_number == "S-1"
    assert exploiter.reference in event.from_custodian
    assert AuditEvent.objects.filter(
        object_type="assets.seizedasset", object_id=str(car.pk)
    ).exists()


def test_property_of_a_person_contacted_as_a_victim_is_refused(
    detective, exploiter, operation, police
):
    victim = Contact.objects.create(
        operation=operation,
        role=ContactRole.VICTIM,
        contacted_at=at(150),
        program_informed=police.designated_program,
        program_info_given=True,
        referral_decision=ReferralDecision.DECLINED,
    )
    with pytest.raises(ValidationError) as refused:
        seize_car(detective, exploiter, None, operation=operation, contact=victim)
    assert "contacted as a victim is never recorded as seized" in str(refused.value)
    assert not SeizedAsset.objects.exists()


def test_a_vehicle_needs_a_vin_or_plate_and_a_case(detective, exploiter, investigation):
    with pytest.raises(ValidationError, match="VIN"):
        seize_car(detective, exploiter, investigation, vin="", plate="")
    with pytest.raises(ValidationError, match="investigation or the operation"):
        seize_car(detective, exploiter, None)


def test_cash_is_counted_by_two_different_officers_and_held_in_the_fund(
    officer, detective, exploiter, investigation, policy, fund
):
    with pytest.raises(ValidationError, match="must be different people"):
        services.asset_seize(
            membership=officer,
            subject=exploiter,
            investigation=investigation,
            kind=AssetKind.CASH,
            description="Cash",
            seized_at=at(10),
            cash_amount=Decimal("200.00"),
            counted_by=officer.user,
            witnessed_by=officer.user,
        )
    cash = seize_cash(officer, detective, exploiter, investigation, amount="480.00")
    assert cash.estimated_value == Decimal("480.00")
    assert services.held_cash_for(cash) == Decimal("480.00")
    assert role_balance(fund, AccountRole.HELD_CASH) == Decimal("480.00")
    entry = JournalEntry.objects.get(source_type="assets.seizedasset", source_id=str(cash.pk))
    assert entry.kind == "held"


def test_the_database_refuses_cash_counted_once(detective, exploiter, investigation):
    asset = seize_car(detective, exploiter, investigation)
    with pytest.raises(IntegrityError), transaction.atomic():
        SeizedAsset.objects.filter(pk=asset.pk).update(
            kind=AssetKind.CASH, cash_amount=Decimal("5.00"), counted_by=detective.user
        )


def test_an_officer_without_a_fund_cannot_record_cash(officer, detective, exploiter, investigation):
    with pytest.raises(ValidationError, match="Forfeiture settings"):
        seize_cash(officer, detective, exploiter, investigation)


def test_a_finance_officer_cannot_record_a_seizure(police, exploiter, investigation):
    finance = factories.membership(factories.UserFactory(), police, "finance")
    with pytest.raises(PermissionDenied):
        seize_car(finance, exploiter, investigation)


# Custody ------------------------------------------------------------------------------------


def test_the_custody_chain_derives_the_current_holder_and_refuses_changes(
    detective, keeper, exploiter, investigation
):
    car = seize_car(detective, exploiter, investigation)
    moved = services.custody_transfer(
        membership=keeper,
        asset=car,
        to_custodian="Auction house",
        location="Auction yard",
        reason="For sale",
        occurred_at=at(50),
    )
    assert moved.from_custodian == "Evidence unit"
    correction = services.custody_transfer(
        membership=keeper,
        asset=car,
        to_custodian="Auction house",
        location="Auction yard, row 4",
        reason="Row was wrong",
        occurred_at=at(49),
        corrects=moved,
    )
    row = selectors.assets_for(keeper).get(pk=car.pk)
    assert (row.custodian, row.location) == ("Auction house", "Auction yard, row 4")
    assert correction.sequence == 3 and correction.corrects == moved
    with pytest.raises(DatabaseError), transaction.atomic():
        CustodyEvent.objects.filter(pk=moved.pk).update(location="Somewhere else")
    moved.refresh_from_db()
    assert moved.location == "Auction yard"
    with pytest.raises(ValidationError, match="before the last one"):
        services.custody_transfer(
            membership=keeper,
            asset=car,
            to_custodian="X",
            location="Y",
            reason="Z",
            occurred_at=at(100),
        )


def test_an_officer_may_not_move_property(officer, detective, exploiter, investigation):
    car = seize_car(detective, exploiter, investigation)
    with pytest.raises(PermissionDenied):
        services.custody_transfer(
            membership=officer, asset=car, to_custodian="Me", location="Car", reason="Want it"
        )


# Forfeiture ---------------------------------------------------------------------------------


def test_an_illegal_transition_names_the_allowed_ones(keeper, detective, exploiter, investigation):
    car = seize_car(detective, exploiter, investigation)
    with pytest.raises(ValidationError) as refused:
        advance(keeper, car, S.FORFEITED, 1)
    message = str(refused.value)
    assert "“Seized” cannot move to “Forfeited”" in message
    assert "Notice sent, claim window open" in message and "Returned to owner" in message
    assert not ForfeitureEvent.objects.exists()


def test_the_claim_window_follows_the_agencys_setting(
    keeper, detective, exploiter, investigation, policy
):
    car = seize_car(detective, exploiter, investigation)
    with pytest.raises(ValidationError, match="Say who was sent notice"):
        advance(keeper, car, S.NOTICE_SENT, 110, notice_method="publication")
    advance(
        keeper,
        car,
        S.NOTICE_SENT,
        10,
        notice_recipients="Owner\nBank",
        notice_method="certified_mail",
    )
    car.refresh_from_db()
    assert car.claim_deadline == days_ago(10 - 30)
    with pytest.raises(ValidationError, match="claim window is open until"):
        advance(keeper, car, S.NO_CLAIM, 0)
    advance(keeper, car, S.CLAIM_FILED, 0, claimant="Synthetic Claimant")
    advance(keeper, car, S.RETURNED, 0, court_case_number="CV-T-9")
    car.refresh_from_db()
    assert car.state == S.RETURNED
    with pytest.raises(ValidationError, match="has no further steps"):
        advance(keeper, car, S.FORFEITED, 0)
    events = list(car.forfeiture_events.values_list("from_state", "to_state"))
    assert events == [
        (S.SEIZED, S.NOTICE_SENT),
        (S.NOTICE_SENT, S.CLAIM_FILED),
        (S.CLAIM_FILED, S.RETURNED),
    ]
    with pytest.raises(DatabaseError), transaction.atomic():
        ForfeitureEvent.objects.filter(asset=car).update(notes="edited")


def test_a_sale_posts_the_net_to_the_fund_split_75_25(
    keeper, detective, exploiter, investigation, policy, fund
):
    car = seize_car(detective, exploiter, investigation)
    with pytest.raises(ValidationError, match="Allowed next steps"):
        services.asset_dispose(
            membership=keeper,
            asset=car,
            method=DispositionMethod.SOLD,
            disposed_on=days_ago(1),
            gross_proceeds=Decimal("100.00"),
        )
    to_forfeited(keeper, car)
    with pytest.raises(ValidationError, match="Only seized cash"):
        services.asset_dispose(
            membership=keeper,
            asset=car,
            method=DispositionMethod.CASH_DEPOSITED,
            disposed_on=days_ago(1),
        )
    disposition = services.asset_dispose(
        membership=keeper,
        asset=car,
        method=DispositionMethod.SOLD,
        disposed_on=days_ago(20),
        gross_proceeds=Decimal("9800.00"),
        towing_costs=Decimal("325.00"),
        storage_costs=Decimal("1150.00"),
        auction_costs=Decimal("980.00"),
        attorney_commission=Decimal("545.00"),
    )
    car.refresh_from_db()
    assert car.state == S.DISPOSED
    assert disposition.net_proceeds == Decimal("6800.00")
    receipt = disposition.receipt
    assert (receipt.gross_amount, receipt.case_costs) == (Decimal("9800.00"), Decimal("3000.00"))
    assert receipt.case_reference == "CV-T-1"
    shares = {s.share.name: s.distributed for s in fund_selectors.fund_overview(fund).shares}
    assert shares == {"Victim services": Decimal("5100.00"), "Police": Decimal("1700.00")}
    report = selectors.judgment_report(keeper, start=days_ago(365), end=days_ago(0))
    (row,) = report.rows
    assert row.split == [("Victim services", Decimal("5100.00")), ("Police", Decimal("1700.00"))]
    assert report.net == Decimal("6800.00")


def test_forfeited_cash_is_deposited_from_held_cash(
    keeper, officer, detective, exploiter, investigation, policy, fund
):
    cash = seize_cash(officer, detective, exploiter, investigation, amount="1000.00")
    to_forfeited(keeper, cash)
    services.asset_dispose(
        membership=keeper,
        asset=cash,
        method=DispositionMethod.CASH_DEPOSITED,
        disposed_on=days_ago(5),
        attorney_commission=Decimal("100.00"),
    )
    assert services.held_cash_for(cash) == 0
    assert role_balance(fund, AccountRole.HELD_CASH) == 0
    assert role_balance(fund, AccountRole.CASH) == Decimal("900.00")
    shares = {s.share.name: s.distributed for s in fund_selectors.fund_overview(fund).shares}
    assert shares == {"Victim services": Decimal("675.00"), "Police": Decimal("225.00")}


def test_a_settlement_returns_what_is_not_forfeited_and_a_return_gives_back_all(
    keeper, officer, detective, exploiter, investigation, policy, fund
):
    settled = seize_cash(officer, detective, exploiter, investigation, amount="1000.00")
    advance(
        keeper, settled, S.NOTICE_SENT, 110, notice_recipients="Owner", notice_method="publication"
    )
    advance(keeper, settled, S.CLAIM_FILED, 100, claimant="Owner")
    with pytest.raises(ValidationError, match=r"Only 1000\.00 is held"):
        advance(keeper, settled, S.SETTLED, 50, amount_forfeited=Decimal("1200.00"))
    advance(keeper, settled, S.SETTLED, 50, amount_forfeited=Decimal("600.00"))
    assert services.held_cash_for(settled) == Decimal("600.00")
    services.asset_dispose(
        membership=keeper,
        asset=settled,
        method=DispositionMethod.CASH_DEPOSITED,
        disposed_on=days_ago(40),
    )
    returned = seize_cash(officer, detective, exploiter, investigation, amount="250.00")
    advance(keeper, returned, S.RETURNED, 1, notes="Released: not connected to the case")
    assert services.held_cash_for(returned) == 0
    assert role_balance(fund, AccountRole.HELD_CASH) == 0
    assert role_balance(fund, AccountRole.CASH) == Decimal("600.00")


def test_a_refused_posting_leaves_no_step_behind(
    keeper, officer, detective, exploiter, investigation, policy, fund
):
    cash = seize_cash(officer, detective, exploiter, investigation, amount="100.00")
    to_forfeited(keeper, cash)
    # Close every fiscal year: the deposit cannot be posted, so nothing is recorded.
    for year in fund.fiscal_years.all():
        year.closed_at = at(0)
        year.save(update_fields=["closed_at"])
    with pytest.raises(ValidationError):
        services.asset_dispose(
            membership=keeper,
            asset=cash,
            method=DispositionMethod.CASH_DEPOSITED,
            disposed_on=days_ago(1),
        )
    cash.refresh_from_db()
    assert cash.state == S.FORFEITED
    assert not Disposition.objects.filter(asset=cash).exists()


# Deadlines ----------------------------------------------------------------------------------


def test_deadlines_and_reminders_reach_the_property_officer(
    keeper, detective, exploiter, investigation, policy
):
    due = seize_car(detective, exploiter, investigation, seized_at=at(19))
    later = seize_car(detective, exploiter, investigation, seized_at=at(1), vin="", plate="LATER1")
    window = seize_car(detective, exploiter, investigation, seized_at=at(60), plate="WIN1")
    advance(
        keeper, window, S.NOTICE_SENT, 40, notice_recipients="Owner", notice_method="publication"
    )
    deadlines = selectors.deadlines_for(keeper, today=days_ago(0))
    assert [(d.asset.pk, d.what) for d in deadlines] == [(window.pk, "claim"), (due.pk, "notice")]
    assert later.pk not in {d.asset.pk for d in deadlines}
    assert services.remind_deadlines() == "2 forfeiture deadline reminders sent"
    assert services.remind_deadlines() is None  # once per asset
    titles = sorted(n.display_title for n in Notification.objects.filter(user=keeper.user))
    assert any(due.reference in t and "notice due" in t for t in titles)
    assert any(window.reference in t and "claim window" in t for t in titles)
    assert not Notification.objects.filter(user=detective.user).exists()
