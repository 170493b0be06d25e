"""Seized property: the asset record, its append-only custody chain, the forfeiture
proceeding as an append-only list of state changes, the disposition and its proceeds.

Property is seized from buyers and exploiters (``enforcement.Subject``), never from the person
who was sold: a victim is a ``survivors.Person`` and cannot be picked here, and the service
refuses a contact recorded as a victim. Custody and forfeiture events are never changed (the
database refuses it); a correction is a new event.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.utils.translation import gettext_lazy as _

from safeharbor.core.fields import EncryptedTextField
from safeharbor.core.models import TimeStampedModel
from safeharbor.core.permissions import ProtectedQuerySet

from .choices import AssetKind, DispositionMethod, ForfeitureState, NoticeMethod

USER = settings.AUTH_USER_MODEL
ZERO = Decimal("0.00")


def money_field(verbose_name: Any, **extra: Any) -> models.DecimalField:
    """Dollars and cents: a Decimal with two places, never a float."""
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, **extra)


class ForfeiturePolicy(TimeStampedModel):
    """An agency's forfeiture settings: the fund its proceeds and held cash go to, how long
    owners and lienholders have to file a claim after notice, and how soon notice is due."""

    agency = models.OneToOneField(
        "accounts.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="forfeiture_policy",
    )
    fund = models.ForeignKey(
        "funds.Fund",
        verbose_name=_("fund for proceeds"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Seized cash is held in this fund and proceeds are split by its rules."),
    )
    claim_window_days = models.PositiveSmallIntegerField(
        _("claim window (days after notice)"), default=30
    )
    notice_within_days = models.PositiveSmallIntegerField(
        _("notice due (days after seizure)"), default=30
    )

    class Meta:
        verbose_name = _("forfeiture settings")
        verbose_name_plural = _("forfeiture settings")
        ordering = ["agency_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(claim_window_days__gte=1), name="assets_policy_claim_window_positive"
            ),
            models.CheckConstraint(
                condition=Q(notice_within_days__gte=1), name="assets_policy_notice_days_positive"
            ),
        ]

    def __str__(self) -> str:
        return str(_("Forfeiture settings of %(agency)s") % {"agency": self.agency_id})


class SeizedAsset(TimeStampedModel):
    """One item of seized property, from a buyer or an exploiter, in an investigation or an
    operation. ``state`` is the forfeiture state, changed only by ``forfeiture_advance`` and
    ``asset_dispose``, each of which appends a ``ForfeitureEvent``."""

    agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="seized_assets",
    )
    reference = models.CharField(_("property number"), max_length=20, editable=False)
    investigation = models.ForeignKey(
        "enforcement.Investigation",
        verbose_name=_("investigation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="seized_assets",
    )
    operation = models.ForeignKey(
        "enforcement.Operation",
        verbose_name=_("operation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="seized_assets",
    )
    subject = models.ForeignKey(
        "enforcement.Subject",
        verbose_name=_("seized from"),
        on_delete=models.PROTECT,
        related_name="seized_assets",
        help_text=_("A buyer or an exploiter. Property of a person who was sold is never seized."),
    )
    contact = models.ForeignKey(
        "enforcement.Contact",
        verbose_name=_("contact in the operation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="seized_assets",
    )
    kind = models.CharField(_("kind of property"), max_length=20, choices=AssetKind.choices)
    description = models.CharField(_("description"), max_length=300)
    seized_at = models.DateTimeField(_("seized"))
    seized_where = models.CharField(
        _("where seized (general area)"),
        max_length=120,
        blank=True,
        help_text=_("A neighbourhood or corridor, not an exact address."),
    )
    seized_by = models.ForeignKey(
        USER, verbose_name=_("seizing officer"), on_delete=models.PROTECT, related_name="+"
    )
    estimated_value = money_field(_("estimated value"), default=ZERO)
    # Vehicle
    vin = models.CharField(_("VIN"), max_length=17, blank=True)
    plate = models.CharField(_("licence plate"), max_length=12, blank=True)
    make = models.CharField(_("make"), max_length=40, blank=True)
    model_name = models.CharField(_("model"), max_length=40, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    # Phone, computer
    imei = models.CharField(_("IMEI"), max_length=17, blank=True)
    serial_number = models.CharField(_("serial number"), max_length=60, blank=True)
    # Cash: counted by two named officers, who differ.
    cash_amount = money_field(_("cash counted"), null=True, blank=True)
    counted_by = models.ForeignKey(
        USER,
        verbose_name=_("counted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    witnessed_by = models.ForeignKey(
        USER,
        verbose_name=_("second counter"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = models.CharField(
        _("forfeiture state"),
        max_length=20,
        choices=ForfeitureState.choices,
        default=ForfeitureState.SEIZED,
    )
    notice_due_on = models.DateField(_("notice due"), null=True, blank=True)
    claim_deadline = models.DateField(_("claim window ends"), null=True, blank=True)
    notice_reminded_at = models.DateTimeField(_("notice reminder sent"), null=True, blank=True)
    claim_reminded_at = models.DateTimeField(_("claim window reminder sent"), null=True, blank=True)
    created_by = models.ForeignKey(
        USER,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ProtectedQuerySet.as_manager()

    class Meta:
        verbose_name = _("seized property")
        verbose_name_plural = _("seized property")
        ordering = ["-seized_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "state"], name="assets_asset_agency_state_idx"),
            models.Index(fields=["agency", "-seized_at"], name="assets_asset_agency_seized_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "reference"], name="assets_seizedasset_unique_reference"
            ),
            models.CheckConstraint(
                condition=Q(investigation__isnull=False) | Q(operation__isnull=False),
                name="assets_seizedasset_in_a_case",
            ),
            models.CheckConstraint(
                condition=Q(estimated_value__gte=0), name="assets_seizedasset_value_not_negative"
            ),
            models.CheckConstraint(
                condition=~Q(kind=AssetKind.CASH)
                | (
                    Q(cash_amount__gt=0)
                    & Q(counted_by__isnull=False)
                    & Q(witnessed_by__isnull=False)
                    & ~Q(counted_by=F("witnessed_by"))
                ),
                name="assets_seizedasset_cash_counted_by_two",
            ),
            models.CheckConstraint(
                condition=Q(kind=AssetKind.CASH) | Q(cash_amount__isnull=True),
                name="assets_seizedasset_cash_only_for_cash",
            ),
            models.CheckConstraint(
                condition=Q(state__in=ForfeitureState.values), name="assets_seizedasset_state"
            ),
        ]

    def __str__(self) -> str:
        # Never the subject's name: __str__ ends up in logs and messages.
        return f"{self.reference} {self.get_kind_display()}"

    @property
    def is_cash(self) -> bool:
        return self.kind == AssetKind.CASH


class Lienholder(models.Model):
    """A bank or lender with a security interest in the property: they get notice and are
    paid before the fund."""

    asset = models.ForeignKey(
        SeizedAsset, verbose_name=_("property"), on_delete=models.PROTECT, related_name="liens"
    )
    name = models.CharField(_("lienholder"), max_length=200)
    amount_owed = money_field(_("amount owed"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = ProtectedQuerySet.as_manager()

    class Meta:
        verbose_name = _("lienholder")
        verbose_name_plural = _("lienholders")
        ordering = ["asset_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_owed__isnull=True) | Q(amount_owed__gte=0),
                name="assets_lienholder_amount_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CustodyEvent(models.Model):
    """One hand-over in the custody chain. Append-only: the database refuses a change; a
    mistake is corrected by a new event that names the one it corrects."""

    asset = models.ForeignKey(
        SeizedAsset,
        verbose_name=_("property"),
        on_delete=models.PROTECT,
        related_name="custody_events",
    )
    sequence = models.PositiveIntegerField(_("number"))
    occurred_at = models.DateTimeField(_("when"))
    from_custodian = models.CharField(_("from"), max_length=120)
    to_custodian = models.CharField(_("to"), max_length=120)
    location = models.CharField(_("location"), max_length=120)
    reason = models.CharField(_("reason"), max_length=300)
    seal_number = models.CharField(_("seal number"), max_length=40, blank=True)
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects event"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    recorded_by = models.ForeignKey(
        USER,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = ProtectedQuerySet.as_manager()

    class Meta:
        verbose_name = _("custody event")
        verbose_name_plural = _("custody chain")
        ordering = ["asset_id", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["asset", "sequence"], name="assets_custodyevent_unique_sequence"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.from_custodian} → {self.to_custodian}"


class ForfeitureEvent(models.Model):
    """One step of the forfeiture proceeding (notice, claim, judgment, disposition), with its
    details. Append-only, like the custody chain."""

    asset = models.ForeignKey(
        SeizedAsset,
        verbose_name=_("property"),
        on_delete=models.PROTECT,
        related_name="forfeiture_events",
    )
    sequence = models.PositiveIntegerField(_("number"))
    from_state = models.CharField(_("from"), max_length=20, choices=ForfeitureState.choices)
    to_state = models.CharField(_("to"), max_length=20, choices=ForfeitureState.choices)
    occurred_on = models.DateField(_("date"))
    notice_recipients = EncryptedTextField(_("notice sent to"), max_length=2000, blank=True)
    notice_method = models.CharField(
        _("how notice was given"), max_length=20, choices=NoticeMethod.choices, blank=True
    )
    claimant = EncryptedTextField(_("claimant"), max_length=300, blank=True)
    court_case_number = models.CharField(_("court case number"), max_length=60, blank=True)
    amount_forfeited = money_field(_("cash forfeited"), null=True, blank=True)
    notes = models.CharField(_("notes"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        USER,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = ProtectedQuerySet.as_manager()

    class Meta:
        verbose_name = _("forfeiture step")
        verbose_name_plural = _("forfeiture steps")
        ordering = ["asset_id", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["asset", "sequence"], name="assets_forfeitureevent_unique_sequence"
            ),
            models.CheckConstraint(
                condition=Q(amount_forfeited__isnull=True) | Q(amount_forfeited__gte=0),
                name="assets_forfeitureevent_amount_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.get_to_state_display()}"


class Disposition(models.Model):
    """What finally became of forfeited property, with gross proceeds and the costs taken
    from them; net proceeds are derived, never stored. A sale's net or deposited cash is
    posted to the fund (``receipt``), where the distribution rules split it."""

    asset = models.OneToOneField(
        SeizedAsset,
        verbose_name=_("property"),
        on_delete=models.PROTECT,
        related_name="disposition",
    )
    method = models.CharField(_("disposition"), max_length=20, choices=DispositionMethod.choices)
    disposed_on = models.DateField(_("date"))
    gross_proceeds = money_field(_("gross proceeds"), default=ZERO)
    towing_costs = money_field(_("towing"), default=ZERO)
    storage_costs = money_field(_("storage"), default=ZERO)
    auction_costs = money_field(_("auction fees"), default=ZERO)
    attorney_commission = money_field(_("attorney commission"), default=ZERO)
    lien_paid = money_field(_("paid to lienholders"), default=ZERO)
    sold_to = models.CharField(_("sale reference"), max_length=120, blank=True)
    notes = models.CharField(_("notes"), max_length=500, blank=True)
    receipt = models.ForeignKey(
        "funds.Receipt",
        verbose_name=_("fund receipt"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        USER,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = ProtectedQuerySet.as_manager()

    class Meta:
        verbose_name = _("disposition")
        verbose_name_plural = _("dispositions")
        ordering = ["-disposed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(gross_proceeds__gte=0)
                & Q(towing_costs__gte=0)
                & Q(storage_costs__gte=0)
                & Q(auction_costs__gte=0)
                & Q(attorney_commission__gte=0)
                & Q(lien_paid__gte=0),
                name="assets_disposition_amounts_not_negative",
            ),
            # Half a cent of slack: SQLite adds decimals as floating point in a CHECK, so
            # 0.10 + 0.20 would exceed 0.30 there. Services check exactly, in Decimal.
            models.CheckConstraint(
                condition=Q(
                    gross_proceeds__gte=F("towing_costs")
                    + F("storage_costs")
                    + F("auction_costs")
                    + F("attorney_commission")
                    + F("lien_paid")
                    - Value(Decimal("0.005"))
                ),
                name="assets_disposition_costs_within_gross_v2",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.disposed_on.isoformat()}"

    @property
    def case_costs(self) -> Decimal:
        return (
            self.towing_costs + self.storage_costs + self.auction_costs + self.attorney_commission
        )

    @property
    def total_costs(self) -> Decimal:
        return self.case_costs + self.lien_paid

    @property
    def net_proceeds(self) -> Decimal:
        return self.gross_proceeds - self.total_costs


class AssetPhoto(models.Model):
    """A photo of seized property, stored encrypted (``core.files``) and served only after
    the permission engine allows viewing the property."""

    asset = models.ForeignKey(
        SeizedAsset, verbose_name=_("property"), on_delete=models.PROTECT, related_name="photos"
    )
    file = models.ForeignKey(
        "core.EncryptedFile", verbose_name=_("file"), on_delete=models.PROTECT, related_name="+"
    )
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        USER,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    objects = ProtectedQuerySet.as_manager()

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["asset_id", "id"]

    def __str__(self) -> str:
        return self.caption or str(_("Photo %(n)s") % {"n": self.pk})


_CASE_FIELDS = [
    "description",
    "seized_where",
    "subject",
    "contact",
    "vin",
    "plate",
    "make",
    "model_name",
    "year",
    "imei",
    "serial_number",
    "counted_by",
    "witnessed_by",
]
_STATISTICAL_FIELDS = ["kind", "seized_at", "estimated_value", "cash_amount", "state"]
