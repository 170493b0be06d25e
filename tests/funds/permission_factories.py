"""Harness factories: one record of each protected ledger model, owned (through its fund) by
the given agency and assigned (through the fund's creator) to ``assigned_to``."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

from django.utils import timezone

from safeharbor.core.testing.harness import register_factory
from safeharbor.funds.choices import AccountKind, AccountRole, EntryKind, PropertyKind
from safeharbor.funds.models import (
    Account,
    Allocation,
    DistributionShare,
    FiscalYear,
    Fund,
    JournalEntry,
    Payment,
    Receipt,
)
from tests import factories

_numbers = itertools.count(1)
DAY = datetime.date(2025, 9, 1)


def make_fund(*, agency, assigned_to=None):
    n = next(_numbers)
    return Fund.objects.create(
        agency=agency, name=f"Harness fund {n}", slug=f"harness-{n}", created_by=assigned_to
    )


def make_year(*, agency, assigned_to=None, fund=None):
    return FiscalYear.objects.create(
        fund=fund or make_fund(agency=agency, assigned_to=assigned_to),
        name="FY 2025-26",
        starts_on=datetime.date(2025, 7, 1),
        ends_on=datetime.date(2026, 6, 30),
    )


def make_share(*, agency, assigned_to=None, fund=None):
    return DistributionShare.objects.create(
        fund=fund or make_fund(agency=agency, assigned_to=assigned_to),
        name="Victim services",
        percent=Decimal("75"),
    )


def make_account(*, agency, assigned_to=None):
    return Account.objects.create(
        fund=make_fund(agency=agency, assigned_to=assigned_to),
        code="1000",
        name="Cash",
        kind=AccountKind.ASSET,
        role=AccountRole.CASH,
    )


def make_entry(*, agency, assigned_to=None, fund=None, year=None):
    fund = fund or make_fund(agency=agency, assigned_to=assigned_to)
    year = year or make_year(agency=agency, fund=fund)
    return JournalEntry.objects.create(
        fund=fund,
        number=next(_numbers),
        fiscal_year=year,
        entry_date=DAY,
        kind=EntryKind.ADJUSTMENT,
        memo="Harness entry",
        posted_at=timezone.now(),
    )


def make_allocation(*, agency, assigned_to=None):
    fund = make_fund(agency=agency, assigned_to=assigned_to)
    return Allocation.objects.create(
        fund=fund,
        program=factories.ProgramFactory(agency=agency),
        share=make_share(agency=agency, fund=fund),
        fiscal_year=make_year(agency=agency, fund=fund),
        purpose="Harness allocation",
    )


def make_receipt(*, agency, assigned_to=None):
    entry = make_entry(agency=agency, assigned_to=assigned_to)
    return Receipt.objects.create(
        fund=entry.fund,
        received_on=DAY,
        property_kind=PropertyKind.VEHICLE,
        description="Harness receipt",
        gross_amount=Decimal("10.00"),
        entry=entry,
    )


def make_payment(*, agency, assigned_to=None):
    allocation = make_allocation(agency=agency, assigned_to=assigned_to)
    entry = make_entry(agency=agency, fund=allocation.fund, year=allocation.fiscal_year)
    return Payment.objects.create(
        allocation=allocation,
        entry=entry,
        amount=Decimal("1.00"),
        payee="Harness payee",
        paid_on=DAY,
    )


register_factory(Fund, make_fund)
register_factory(FiscalYear, make_year)
register_factory(DistributionShare, make_share)
register_factory(Account, make_account)
register_factory(JournalEntry, make_entry)
register_factory(Allocation, make_allocation)
register_factory(Receipt, make_receipt)
register_factory(Payment, make_payment)
