"""The restricted (special revenue) fund as a double-entry ledger.

Nothing here stores a balance. Every balance — cash, an unallocated share, what is left of an
allocation — is the sum of posted journal lines. Posted entries and lines are never changed
(the database refuses an update); a correction is a reversing entry.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from safeharbor.core.models import TimeStampedModel
from safeharbor.core.permissions import ProtectedQuerySet, register_protected

from .choices import AccountKind, AccountRole, EntryKind, PropertyKind


def money_field(verbose_name: Any, **extra: Any) -> models.DecimalField:
    """Dollars and cents: a Decimal with two places, never a float."""
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, **extra)


ZERO = Decimal("0.00")


class Fund(TimeStampedModel):
    """A restricted fund, owned by one agency (Portland: the city program office)."""

    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="funds"
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    description = models.TextField(_("description"), blank=True)
    authority = models.CharField(
        _("legal authority"),
        max_length=300,
        blank=True,
        help_text=_("The statute or ordinance that restricts this money."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set up by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Under the 'assigned' scope a person reaches the funds they set up."),
    )

    objects = ProtectedQuerySet.as_manager()

    class Meta:
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class FiscalYear(models.Model):
    """A fiscal year of a fund (Portland: 1 July to 30 June). A closed year takes no entries."""

    fund = models.ForeignKey(
        Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="fiscal_years"
    )
    name = models.CharField(_("name"), max_length=40)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = ProtectedQuerySet.as_manager()

    class Meta:
        verbose_name = _("fiscal year")
        verbose_name_plural = _("fiscal years")
        ordering = ["fund_id", "-starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")),
                name="funds_fiscalyear_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["fund", "starts_on"], name="funds_fiscalyear_unique_start"
            ),
            models.UniqueConstraint(fields=["fund", "name"], name="funds_fiscalyear_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class DistributionShare(models.Model):
    """One share of net proceeds (after case costs) under the fund's statute or ordinance,
    e.g. Portland's 75% to victim services and 25% to police. The active shares of a fund
    add up to 100%; the first share takes any cent left over by rounding."""

    fund = models.ForeignKey(
        Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="shares"
    )
    name = models.CharField(_("name"), max_length=120)
    percent = models.DecimalField(_("percent of net proceeds"), max_digits=5, decimal_places=2)
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    is_active = models.BooleanField(_("active"), default=True)

    objects = ProtectedQuerySet.as_manager()

    class Meta:
        verbose_name = _("distribution share")
        verbose_name_plural = _("distribution shares")
        ordering = ["fund_id", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__gt=0) & Q(percent__lte=100),
                name="funds_share_percent_in_range",
            ),
            models.UniqueConstraint(fields=["fund", "name"], name="funds_share_unique_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.percent}%)"


class Account(models.Model):
    """An account in the fund's chart of accounts. ``role`` tells the posting services which
    account to use; each role appears once per fund (shares: once per share)."""

    fund = models.ForeignKey(
        Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="accounts"
    )
    code = models.CharField(_("number"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=AccountKind.choices)
    role = models.CharField(
        _("use"), max_length=30, choices=AccountRole.choices, blank=True, default=""
    )
    share = models.OneToOneField(
        DistributionShare,
        verbose_name=_("share"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="account",
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = ProtectedQuerySet.as_manager()

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["fund_id", "code", "id"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "code"], name="funds_account_unique_code"),
            models.UniqueConstraint(
                fields=["fund", "role"],
                condition=~Q(role__in=["", AccountRole.SHARE]),
                name="funds_account_unique_role",
            ),
            models.CheckConstraint(
                condition=(Q(role=AccountRole.SHARE) & Q(share__isnull=False))
                | (~Q(role=AccountRole.SHARE) & Q(share__isnull=True)),
                name="funds_account_share_role_has_share",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_debit_normal(self) -> bool:
        return self.kind in AccountKind.debit_normal()


class Allocation(models.Model):
    """Money from one share set aside for a program (``accounts.Program``) in a fiscal year.

    How much is allocated, paid and still available is derived from the posted lines that
    carry this allocation; the row itself holds no amount."""

    fund = models.ForeignKey(
        Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="allocations"
    )
    program = models.ForeignKey(
        "accounts.Program",
        verbose_name=_("program"),
        on_delete=models.PROTECT,
        related_name="fund_allocations",
    )
    share = models.ForeignKey(
        DistributionShare,
        verbose_name=_("from share"),
        on_delete=models.PROTECT,
        related_name="allocations",
    )
    fiscal_year = models.ForeignKey(
        FiscalYear,
        verbose_name=_("fiscal year"),
        on_delete=models.PROTECT,
        related_name="allocations",
    )
    purpose = models.CharField(_("purpose"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ProtectedQuerySet.as_manager()

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        ordering = ["fund_id", "-fiscal_year__starts_on", "program__name", "id"]

    def __str__(self) -> str:
        return f"{self.program.name} — {self.purpose}"


class JournalEntry(models.Model):
    """A posted journal entry. Its lines balance (debits equal credits); it is never changed
    after posting. ``source_type``/``source_id`` name what caused it in another area (for
    example ``assets.seizedasset`` and its id) without this app importing that area."""

    fund = models.ForeignKey(
        Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="entries"
    )
    number = models.PositiveIntegerField(_("entry number"))
    fiscal_year = models.ForeignKey(
        FiscalYear, verbose_name=_("fiscal year"), on_delete=models.PROTECT, related_name="entries"
    )
    entry_date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind.choices)
    memo = models.CharField(_("description"), max_length=300)
    source_type = models.CharField(_("source type"), max_length=60, blank=True)
    source_id = models.CharField(_("source id"), max_length=64, blank=True)
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversal",
    )
    posted_at = models.DateTimeField(_("posted"))
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("posted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ProtectedQuerySet.as_manager()

    class Meta:
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        ordering = ["fund_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "number"], name="funds_entry_unique_number"),
            models.CheckConstraint(
                condition=(Q(kind=EntryKind.REVERSAL) & Q(reverses__isnull=False))
                | (~Q(kind=EntryKind.REVERSAL) & Q(reverses__isnull=True)),
                name="funds_entry_reversal_has_target",
            ),
            models.CheckConstraint(
                condition=(Q(source_type="") & Q(source_id=""))
                | (~Q(source_type="") & ~Q(source_id="")),
                name="funds_entry_source_pair",
            ),
        ]
        indexes = [
            models.Index(fields=["source_type", "source_id"], name="funds_entry_source_idx"),
            models.Index(fields=["fund", "entry_date"], name="funds_entry_date_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.number} {self.memo}"


class JournalLine(models.Model):
    """One debit or one credit of a posted entry. Lines on the allocated and program
    expenditure accounts carry the allocation they belong to."""

    entry = models.ForeignKey(
        JournalEntry, verbose_name=_("entry"), on_delete=models.PROTECT, related_name="lines"
    )
    line_no = models.PositiveSmallIntegerField(_("line"))
    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.PROTECT, related_name="lines"
    )
    allocation = models.ForeignKey(
        Allocation,
        verbose_name=_("allocation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lines",
    )
    debit = money_field(_("debit"), default=ZERO)
    credit = money_field(_("credit"), default=ZERO)
    memo = models.CharField(_("line description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("journal line")
        verbose_name_plural = _("journal lines")
        ordering = ["entry_id", "line_no"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "line_no"], name="funds_line_unique_number"),
            models.CheckConstraint(
                condition=(Q(debit__gt=0) & Q(credit=0)) | (Q(debit=0) & Q(credit__gt=0)),
                name="funds_line_one_positive_side",
            ),
        ]
        indexes = [models.Index(fields=["account", "allocation"], name="funds_line_acct_alloc_idx")]

    def __str__(self) -> str:
        side = f"Dr {self.debit}" if self.debit else f"Cr {self.credit}"
        return f"{self.account.code} {side}"


class Receipt(models.Model):
    """Proceeds taken into the fund: from forfeited property sold (a vehicle at auction) or
    forfeited cash. Gross and case costs are what intake recorded; how the net was split is
    in the distribution entry's lines."""

    fund = models.ForeignKey(
        Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="receipts"
    )
    received_on = models.DateField(_("received"))
    property_kind = models.CharField(
        _("kind of property"), max_length=20, choices=PropertyKind.choices
    )
    description = models.CharField(_("description"), max_length=300)
    case_reference = models.CharField(_("court or case number"), max_length=100, blank=True)
    gross_amount = money_field(_("gross proceeds"))
    case_costs = money_field(_("case costs"), default=ZERO)
    from_held_cash = models.BooleanField(
        _("forfeited from held cash"),
        default=False,
        help_text=_("Seized cash already in custody that a court has now forfeited."),
    )
    entry = models.OneToOneField(
        JournalEntry,
        verbose_name=_("receipt entry"),
        on_delete=models.PROTECT,
        related_name="receipt",
    )
    distribution = models.OneToOneField(
        JournalEntry,
        verbose_name=_("distribution entry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="distributed_receipt",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = ProtectedQuerySet.as_manager()

    class Meta:
        verbose_name = _("receipt of proceeds")
        verbose_name_plural = _("receipts of proceeds")
        ordering = ["fund_id", "-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(gross_amount__gt=0), name="funds_receipt_gross_positive"
            ),
            models.CheckConstraint(
                condition=Q(case_costs__gte=0) & Q(case_costs__lte=models.F("gross_amount")),
                name="funds_receipt_costs_within_gross",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.received_on} {self.description}"

    @property
    def net_amount(self) -> Decimal:
        return self.gross_amount - self.case_costs


class Payment(models.Model):
    """A payment to a program's provider against an allocation. The amount is what was paid;
    what is left of the allocation is derived from posted lines."""

    allocation = models.ForeignKey(
        Allocation, verbose_name=_("allocation"), on_delete=models.PROTECT, related_name="payments"
    )
    entry = models.OneToOneField(
        JournalEntry, verbose_name=_("entry"), on_delete=models.PROTECT, related_name="payment"
    )
    amount = money_field(_("amount"))
    payee = models.CharField(_("paid to"), max_length=200)
    reference = models.CharField(_("invoice or check number"), max_length=100, blank=True)
    paid_on = models.DateField(_("paid"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = ProtectedQuerySet.as_manager()

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["allocation_id", "-paid_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="funds_payment_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.paid_on} {self.payee} {self.amount}"


# The ledger under the permission engine: by role and the fund's agency (roles that use it
# have the agency scope). No data categories: nothing here is about a person.
register_protected(Fund, agency_field="agency", assigned_fields=("created_by",))
for _model in (FiscalYear, DistributionShare, Account, Allocation, JournalEntry, Receipt):
    register_protected(_model, parent="fund")
register_protected(Payment, parent="allocation")
