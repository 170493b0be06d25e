"""The ledger: receipts split after case costs, allocations, payments, reversals, and the
guards (balance, immutability, limits, closed years) that keep every dollar accounted for."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction

from safeharbor.audit.models import AuditEvent
from safeharbor.funds import selectors, services
from safeharbor.funds.choices import AccountRole, EntryKind
from safeharbor.funds.models import Account, JournalEntry, JournalLine
from safeharbor.funds.permissions import SYSTEM, register_posting_source

from .conftest import IN_YEAR, allocate, pay, receive

pytestmark = pytest.mark.django_db


def balance(fund, role, allocation=None):
    account = Account.objects.get(fund=fund, role=role)
    lines = JournalLine.objects.filter(account=account)
    if allocation is not None:
        lines = lines.filter(allocation=allocation)
    debits = sum((ln.debit for ln in lines), Decimal("0"))
    credits = sum((ln.credit for ln in lines), Decimal("0"))
    return debits - credits if account.is_debit_normal else credits - debits


def share_balance(share):
    lines = JournalLine.objects.filter(account__share=share)
    return sum((ln.credit - ln.debit for ln in lines), Decimal("0"))


def test_receipt_splits_net_proceeds_75_25_after_case_costs(fund):
    receipt = receive(fund, "8400.00", "1790.00")
    assert receipt.net_amount == Decimal("6610.00")
    assert balance(fund, AccountRole.CASH) == Decimal("6610.00")
    assert balance(fund, AccountRole.CASE_COSTS) == Decimal("1790.00")
    assert balance(fund, AccountRole.PROCEEDS) == Decimal("8400.00")
    victim, police = fund.shares.order_by("order")
    assert share_balance(victim) == Decimal("4957.50")
    assert share_balance(police) == Decimal("1652.50")
    assert receipt.distribution.kind == EntryKind.DISTRIBUTION


def test_odd_cents_go_to_the_first_share_so_every_cent_is_distributed(fund):
    receive(fund, "100.03")
    victim, police = fund.shares.order_by("order")
    assert share_balance(police) == Decimal("25.00")
    assert share_balance(victim) == Decimal("75.03")


def test_every_posted_entry_balances_and_the_trial_balance_is_zero(fund, program, victim_share):
    receive(fund, "1000.00", "100.00")
    allocation = allocate(fund, program, victim_share, "500.00")
    pay(allocation, "120.00")
    for entry in JournalEntry.objects.all():
        lines = list(entry.lines.all())
        assert sum(ln.debit for ln in lines) == sum(ln.credit for ln in lines)
    overview = selectors.fund_overview(fund)
    assert overview.in_balance
    assert overview.cash == Decimal("780.00") == overview.fund_balance


def test_payment_cannot_exceed_what_is_left_of_the_allocation(fund, program, victim_share):
    receive(fund, "1000.00")
    allocation = allocate(fund, program, victim_share, "300.00")
    pay(allocation, "250.00")
    with pytest.raises(ValidationError, match=r"more than is left of the allocation \(50.00"):
        pay(allocation, "50.01")
    pay(allocation, "50.00")
    row = selectors.with_balances(type(allocation).objects.filter(pk=allocation.pk)).get()
    assert (row.allocated, row.paid, row.available) == (
        Decimal("300.00"),
        Decimal("300.00"),
        Decimal("0.00"),
    )


def test_allocation_cannot_exceed_the_unallocated_share(fund, program, victim_share):
    receive(fund, "1000.00")  # victim services share: 750.00
    with pytest.raises(ValidationError, match="more than is unallocated"):
        allocate(fund, program, victim_share, "750.01")
    allocate(fund, program, victim_share, "750.00")
    assert share_balance(victim_share) == Decimal("0.00")


def test_unbalanced_entry_is_refused_by_the_posting_service(fund):
    cash = Account.objects.get(fund=fund, role=AccountRole.CASH)
    proceeds = Account.objects.get(fund=fund, role=AccountRole.PROCEEDS)
    with pytest.raises(ValidationError, match="does not balance"):
        services.journal_post(
            actor=SYSTEM,
            membership=None,
            fund=fund,
            entry_date=IN_YEAR,
            kind=EntryKind.ADJUSTMENT,
            memo="Wrong",
            lines=[
                services.Line(account=cash, debit=Decimal("10.00")),
                services.Line(account=proceeds, credit=Decimal("9.99")),
            ],
        )
    assert not JournalEntry.objects.exists()


def test_money_is_never_a_float(fund):
    with pytest.raises(TypeError):
        services.money(10.1)
    with pytest.raises(ValidationError):
        services.money("10.001")


def test_posted_entries_and_lines_cannot_be_edited_in_the_database(fund):
    receipt = receive(fund, "500.00")
    line = receipt.entry.lines.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        JournalLine.objects.filter(pk=line.pk).update(debit=Decimal("1.00"))
    with pytest.raises(IntegrityError), transaction.atomic():
        JournalEntry.objects.filter(pk=receipt.entry.pk).update(memo="edited")
    line.refresh_from_db()
    assert line.debit == Decimal("500.00")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="deferred trigger: PostgreSQL")
def test_postgres_refuses_to_commit_an_unbalanced_entry(fund):
    receipt = receive(fund, "500.00")
    cash = Account.objects.get(fund=fund, role=AccountRole.CASH)
    with pytest.raises(IntegrityError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS funds_journalline_balanced IMMEDIATE")
        JournalLine.objects.create(
            entry=receipt.entry, line_no=9, account=cash, debit=Decimal("1.00")
        )


def test_database_refuses_a_line_with_both_sides(fund):
    receipt = receive(fund, "500.00")
    cash = Account.objects.get(fund=fund, role=AccountRole.CASH)
    with pytest.raises(IntegrityError), transaction.atomic():
        JournalLine.objects.create(
            entry=receipt.entry,
            line_no=9,
            account=cash,
            debit=Decimal("1.00"),
            credit=Decimal("1.00"),
        )


def test_reversing_a_receipt_reverses_its_split_too(fund):
    receipt = receive(fund, "1000.00", "200.00")
    reversal = services.journal_reverse(
        actor=SYSTEM, membership=None, entry=receipt.entry, reason="Entered twice"
    )
    assert reversal.reverses == receipt.entry
    assert JournalEntry.objects.filter(reverses=receipt.distribution).exists()
    for role in (AccountRole.CASH, AccountRole.PROCEEDS, AccountRole.CASE_COSTS):
        assert balance(fund, role) == 0
    assert all(share_balance(s) == 0 for s in fund.shares.all())
    with pytest.raises(ValidationError, match="already been reversed"):
        services.journal_reverse(actor=SYSTEM, membership=None, entry=receipt.entry, reason="Again")


def test_receipt_cannot_be_reversed_once_its_share_is_allocated(fund, program, victim_share):
    receipt = receive(fund, "1000.00")
    allocate(fund, program, victim_share, "700.00")
    with pytest.raises(ValidationError, match="more than is unallocated"):
        services.journal_reverse(
            actor=SYSTEM, membership=None, entry=receipt.entry, reason="Mistake"
        )


def test_reversing_a_payment_makes_the_money_available_again(fund, program, victim_share):
    receive(fund, "1000.00")
    allocation = allocate(fund, program, victim_share, "400.00")
    payment = pay(allocation, "400.00")
    services.journal_reverse(
        actor=SYSTEM, membership=None, entry=payment.entry, reason="Paid the wrong landlord"
    )
    assert balance(fund, AccountRole.ALLOCATED, allocation) == Decimal("400.00")
    assert balance(fund, AccountRole.CASH) == Decimal("1000.00")


def test_closed_fiscal_year_takes_no_entries(fund):
    year = fund.fiscal_years.get(name="FY 2025-26")
    services.fiscal_year_close(actor=SYSTEM, membership=None, year=year)
    with pytest.raises(ValidationError, match="is closed"):
        receive(fund, "10.00")
    with pytest.raises(ValidationError, match="No fiscal year"):
        receive(fund, "10.00", received_on=datetime.date(2030, 1, 1))


def test_fiscal_years_cannot_overlap(fund):
    with pytest.raises(ValidationError, match="overlaps"):
        services.fiscal_year_create(
            actor=SYSTEM,
            membership=None,
            fund=fund,
            name="FY odd",
            starts_on=datetime.date(2026, 1, 1),
            ends_on=datetime.date(2026, 12, 31),
        )


def test_seized_cash_is_held_as_a_liability_until_forfeited_then_split(fund):
    services.held_cash_receive(
        actor=SYSTEM,
        membership=None,
        fund=fund,
        amount=Decimal("2350.00"),
        received_on=IN_YEAR,
        description="Cash seized in operation",
        source_type="assets.seizedasset",
        source_id=17,
    )
    overview = selectors.fund_overview(fund)
    assert overview.held_cash == Decimal("2350.00")
    assert overview.fund_balance == 0  # not the city's money yet
    receive(
        fund,
        "2000.00",
        property_kind="cash",
        from_held_cash=True,
        source_type="assets.seizedasset",
        source_id=17,
    )
    services.held_cash_return(
        actor=SYSTEM,
        membership=None,
        fund=fund,
        amount=Decimal("350.00"),
        returned_on=IN_YEAR,
        description="Returned on court order",
        source_type="assets.seizedasset",
        source_id=17,
    )
    overview = selectors.fund_overview(fund)
    assert overview.held_cash == 0
    assert overview.cash == overview.fund_balance == Decimal("2000.00")
    with pytest.raises(ValidationError, match="below zero"):
        services.held_cash_return(
            actor=SYSTEM,
            membership=None,
            fund=fund,
            amount=Decimal("0.01"),
            returned_on=IN_YEAR,
            description="Too much",
        )
    entries = JournalEntry.objects.filter(source_type="assets.seizedasset", source_id="17")
    assert entries.count() == 4  # held, receipt, its split, release


def test_services_check_role_and_agency(fund, make_staff, city, program, victim_share):
    receive(fund, "1000.00")
    coordinator = make_staff("coordinator", agency=city)
    membership = coordinator.memberships.get()
    with pytest.raises(PermissionDenied):
        services.receipt_record(
            actor=coordinator,
            membership=membership,
            fund=fund,
            received_on=IN_YEAR,
            property_kind="phone",
            description="Phones",
            gross_amount=Decimal("50.00"),
        )
    allocation = services.allocation_create(
        actor=coordinator,
        membership=membership,
        fund=fund,
        program=program,
        share=victim_share,
        purpose="Advocates",
        amount=Decimal("100.00"),
        allocated_on=IN_YEAR,
    )
    with pytest.raises(PermissionDenied):
        services.payment_post(
            actor=coordinator,
            membership=membership,
            allocation=allocation,
            amount=Decimal("1.00"),
            payee="Someone",
            paid_on=IN_YEAR,
        )
    outsider = make_staff("finance")  # finance officer of another agency
    with pytest.raises(PermissionDenied):
        pay_as(outsider, allocation)
    refusal = AuditEvent.objects.filter(outcome="denied", actor_id=outsider.pk).get()
    assert refusal.object_type == "funds.payment"


def pay_as(user, allocation, **extra):
    return services.payment_post(
        actor=user,
        membership=user.memberships.get(),
        allocation=allocation,
        amount=Decimal("10.00"),
        payee="Landlord",
        paid_on=IN_YEAR,
        **extra,
    )


def test_another_area_posts_payments_through_its_registered_source(
    fund, make_staff, program, victim_share
):
    receive(fund, "1000.00")
    allocation = allocate(fund, program, victim_share, "500.00")
    register_posting_source("tests.rentalassistance", permission="housing.placement.add")
    partner = make_staff("caseworker", agency=program.agency)
    payment = pay_as(partner, allocation, source_type="tests.rentalassistance", source_id="9")
    assert payment.entry.source_type == "tests.rentalassistance"
    # Not without the source, and not for another agency's program.
    with pytest.raises(PermissionDenied):
        pay_as(partner, allocation)
    stranger = make_staff("caseworker")
    with pytest.raises(PermissionDenied):
        pay_as(stranger, allocation, source_type="tests.rentalassistance", source_id="10")


def test_every_write_is_audited_with_ids_only(fund, program, victim_share):
    before = AuditEvent.objects.count()
    receipt = receive(fund, "300.00")
    allocation = allocate(fund, program, victim_share, "100.00")
    pay(allocation, "10.00")
    types = list(AuditEvent.objects.order_by("id")[before:].values_list("object_type", "action"))
    assert ("funds.receipt", "create") in types
    assert ("funds.allocation", "create") in types
    assert ("funds.payment", "create") in types
    assert types.count(("funds.journalentry", "create")) == 4
    event = AuditEvent.objects.get(object_type="funds.receipt", object_id=str(receipt.pk))
    assert event.agency_id == fund.agency_id


def test_fund_statement_reconciles_and_annual_report_shows_use_by_program(
    fund, program, victim_share
):
    receive(fund, "8400.00", "1790.00")
    receive(fund, "2350.00", property_kind="cash")
    allocation = allocate(fund, program, victim_share, "5000.00")
    pay(allocation, "1200.00")
    pay(allocation, "800.00", on=datetime.date(2026, 8, 1))  # next fiscal year
    report = selectors.annual_report(fund.fiscal_years.get(name="FY 2025-26"))
    assert report.opening_balance == 0
    assert report.revenue == Decimal("10750.00")
    assert report.case_costs == Decimal("1790.00")
    assert report.program_expenditure == Decimal("1200.00")
    assert report.closing_balance == Decimal("7760.00")
    assert report.reconciles
    assert dict(report.by_share) == {
        "Victim services": Decimal("6720.00"),
        "Police": Decimal("2240.00"),
    }
    (use,) = report.by_program
    assert (use.allocated, use.paid) == (Decimal("5000.00"), Decimal("1200.00"))
    assert [(kind, n) for kind, n, _g, _c in report.by_property] == [("Vehicle", 1), ("Cash", 1)]
    next_year = selectors.annual_report(fund.fiscal_years.get(name="FY 2026-27"))
    assert next_year.opening_balance == Decimal("7760.00")
    assert next_year.closing_balance == Decimal("6960.00")
