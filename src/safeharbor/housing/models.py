"""Housing programs, units, placements and months of rental assistance."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from safeharbor.core.fields import EncryptedTextField
from safeharbor.core.models import TimeStampedModel
from safeharbor.core.permissions.queryset import ProtectedQuerySet

from .choices import (
    AssistanceStatus,
    Destination,
    IncomeChange,
    ProjectType,
    destination_group,
    income_change,
)

MIN_LEASE_MONTHS = 12


def money_field(verbose_name, **extra) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=10, decimal_places=2, **extra)


class HousingProgram(TimeStampedModel):
    """The housing details of an ``accounts.Program`` (the survivor housing pilot): its HUD
    project type, its partner agencies and whether it may house people under 18."""

    program = models.OneToOneField(
        "accounts.Program",
        verbose_name=_("program"),
        on_delete=models.PROTECT,
        related_name="housing",
    )
    project_type = models.CharField(_("project type"), max_length=10, choices=ProjectType.choices)
    partners = models.ManyToManyField(
        "accounts.Agency",
        verbose_name=_("partner agencies"),
        blank=True,
        related_name="housing_partnerships",
        help_text=_("Agencies whose caseworkers work on placements in this program."),
    )
    allows_juveniles = models.BooleanField(
        _("may house people under 18"),
        default=False,
        help_text=_("Leave off for a program for adults: placements of minors are refused."),
    )

    class Meta:
        verbose_name = _("housing program")
        verbose_name_plural = _("housing programs")
        ordering = ["program__name", "id"]

    def __str__(self) -> str:
        return self.program.name

    @property
    def agency_id(self) -> int:
        return self.program.agency_id


class Unit(TimeStampedModel):
    """An apartment a survivor rents. The address and the landlord are confidential:
    encrypted, in the identity category, and never on public pages, in aggregates or in
    exports."""

    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    address = EncryptedTextField(_("address"), max_length=300)
    landlord_name = EncryptedTextField(_("landlord"), max_length=200)
    landlord_contact = EncryptedTextField(_("landlord contact"), max_length=200, blank=True)
    bedrooms = models.PositiveSmallIntegerField(_("bedrooms"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ProtectedQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(bedrooms__lte=20), name="housing_unit_bedrooms_plausible"
            ),
        ]

    def __str__(self) -> str:
        # Never the address: __str__ ends up in logs.
        return f"unit #{self.pk}"


class Placement(TimeStampedModel):
    """An adult survivor housed through a housing program, with the lease in her own name,
    an assistance plan, income at start, yearly and at exit, and where she went at exit.

    Owned by the agency that serves the person (the person's agency); the partner agency
    working on it gets a grant for what it needs (see ``services.placement_create``).
    """

    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "survivors.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="housing_placements",
    )
    program = models.ForeignKey(
        HousingProgram,
        verbose_name=_("housing program"),
        on_delete=models.PROTECT,
        related_name="placements",
    )
    partner_agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("partner agency"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    partner_caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("partner caseworker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="placements",
    )
    referral_on = models.DateField(_("referred on"))
    start_on = models.DateField(_("project start"))
    move_in_on = models.DateField(_("moved in on"), null=True, blank=True)
    lease_in_own_name = models.BooleanField(_("lease in the person's own name"), default=True)
    lease_start_on = models.DateField(_("lease starts"), null=True, blank=True)
    lease_months = models.PositiveSmallIntegerField(_("lease term, in months"), null=True)
    rent = money_field(_("monthly rent"), null=True)
    assistance_months = models.PositiveSmallIntegerField(_("months of rental assistance"))
    assistance_monthly = money_field(_("rental assistance per month"))
    participant_share = money_field(_("the person's share of the rent per month"), default=0)
    income_start = money_field(_("monthly income at start"), null=True, blank=True)
    income_annual = money_field(_("monthly income at the yearly assessment"), null=True, blank=True)
    income_annual_on = models.DateField(_("yearly assessment on"), null=True, blank=True)
    income_exit = money_field(_("monthly income at exit"), null=True, blank=True)
    # The statistical copy of the incomes (see ``IncomeChange``), kept by the services.
    income_change = models.CharField(
        _("change in income"),
        max_length=4,
        choices=IncomeChange.choices,
        blank=True,
        default=IncomeChange.UNKNOWN,
    )
    exit_on = models.DateField(_("exit date"), null=True, blank=True)
    destination = models.CharField(
        _("destination at exit"), max_length=3, choices=Destination.choices, blank=True
    )
    returned_homeless_on = models.DateField(
        _("returned to homelessness on"),
        null=True,
        blank=True,
        help_text=_("Follow-up after an exit: the first date she was known to be homeless again."),
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned worker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ProtectedQuerySet.as_manager()

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-start_on", "-id"]
        indexes = [
            models.Index(fields=["program", "move_in_on"], name="housing_placement_movein_idx"),
            models.Index(fields=["program", "exit_on"], name="housing_placement_exit_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_on__gte=F("referral_on")),
                name="housing_placement_start_after_referral",
            ),
            models.CheckConstraint(
                condition=Q(move_in_on__isnull=True) | Q(move_in_on__gte=F("start_on")),
                name="housing_placement_move_in_after_start",
            ),
            models.CheckConstraint(
                condition=Q(exit_on__isnull=True)
                | Q(move_in_on__isnull=True)
                | Q(exit_on__gte=F("move_in_on")),
                name="housing_placement_exit_after_move_in",
            ),
            models.CheckConstraint(
                condition=Q(exit_on__isnull=True) | ~Q(destination=""),
                name="housing_placement_exit_has_destination",
            ),
            models.CheckConstraint(
                condition=Q(lease_months__isnull=True) | Q(lease_months__gte=MIN_LEASE_MONTHS),
                name="housing_placement_lease_at_least_a_year",
            ),
            models.CheckConstraint(
                condition=Q(assistance_monthly__gte=0) & Q(participant_share__gte=0),
                name="housing_placement_plan_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"placement #{self.pk}"

    @property
    def destination_group(self) -> str:
        return destination_group(self.destination) if self.destination else ""

    def current_income_change(self) -> str:
        """The ``IncomeChange`` from the income at start to the latest one: at exit once
        exited, else at the yearly assessment."""
        later = self.income_exit if self.exit_on is not None else self.income_annual
        return income_change(self.income_start, later)

    @property
    def is_housed(self) -> bool:
        return self.move_in_on is not None and self.exit_on is None


class AssistancePayment(models.Model):
    """One month of rental assistance of a placement: scheduled from the plan, approved, then
    paid from an allocation of the fund to the program (the ledger payment is kept)."""

    placement = models.ForeignKey(
        Placement,
        verbose_name=_("placement"),
        on_delete=models.PROTECT,
        related_name="assistance_payments",
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month it pays for."))
    sequence = models.PositiveSmallIntegerField(_("month of the plan"))
    amount = money_field(_("amount"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AssistanceStatus.choices,
        default=AssistanceStatus.SCHEDULED,
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("paid by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    ledger_payment = models.OneToOneField(
        "funds.Payment",
        verbose_name=_("payment in the fund ledger"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("scheduled"), auto_now_add=True)

    objects = ProtectedQuerySet.as_manager()

    class Meta:
        verbose_name = _("month of rental assistance")
        verbose_name_plural = _("months of rental assistance")
        ordering = ["placement_id", "month", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "month"], name="housing_assistance_one_per_month"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="housing_assistance_positive"),
            models.CheckConstraint(
                condition=~Q(status=AssistanceStatus.PAID)
                | (Q(ledger_payment__isnull=False) & Q(paid_on__isnull=False)),
                name="housing_assistance_paid_in_ledger",
            ),
        ]

    def __str__(self) -> str:
        return f"assistance {self.month:%Y-%m} of placement #{self.placement_id}"
