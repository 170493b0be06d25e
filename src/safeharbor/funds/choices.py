"""Choices of the restricted fund: account kinds, entry kinds, property kinds."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountKind(models.TextChoices):
    """The five kinds of account of a governmental fund. Assets and expenditures carry debit
    balances; liabilities, fund balance and revenue carry credit balances."""

    ASSET = "asset", _("Asset")
    LIABILITY = "liability", _("Liability")
    FUND_BALANCE = "fund_balance", _("Fund balance")
    REVENUE = "revenue", _("Revenue")
    EXPENDITURE = "expenditure", _("Expenditure")

    @classmethod
    def debit_normal(cls) -> frozenset[str]:
        return frozenset({cls.ASSET, cls.EXPENDITURE})


class AccountRole(models.TextChoices):
    """What the posting services use an account for. Each role is held by at most one account
    per fund, so services never look accounts up by name or number."""

    NONE = "", _("No special use")
    CASH = "cash", _("Cash of the fund")
    HELD_CASH = "held_cash", _("Seized cash in custody")
    HELD_LIABILITY = "held_liability", _("Seized cash held pending forfeiture")
    UNASSIGNED = "unassigned", _("Unassigned fund balance")
    SHARE = "share", _("Unallocated share of net proceeds")
    ALLOCATED = "allocated", _("Allocated to programs")
    PROCEEDS = "proceeds", _("Forfeiture proceeds")
    CASE_COSTS = "case_costs", _("Case costs")
    PROGRAM_EXPENDITURE = "program_expenditure", _("Program expenditure")


class EntryKind(models.TextChoices):
    RECEIPT = "receipt", _("Proceeds received")
    DISTRIBUTION = "distribution", _("Split of net proceeds")
    HELD = "held", _("Seized cash taken into custody")
    RELEASE = "release", _("Held cash returned")
    ALLOCATION = "allocation", _("Allocation to a program")
    PAYMENT = "payment", _("Payment")
    REVERSAL = "reversal", _("Reversal")
    ADJUSTMENT = "adjustment", _("Adjustment")
    OPENING = "opening", _("Opening balance")


class PropertyKind(models.TextChoices):
    VEHICLE = "vehicle", _("Vehicle")
    PHONE = "phone", _("Phone")
    COMPUTER = "computer", _("Computer")
    CASH = "cash", _("Cash")
    OTHER = "other", _("Other property")
