"""Referrals between agencies and programs, gated by consent, with every state change kept
as an event, and each agency's configuration of the legal basis it refers on."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from safeharbor.core.fields import EncryptedTextField
from safeharbor.core.permissions.queryset import ProtectedQuerySet

from .choices import ReferralState, Urgency

USER = settings.AUTH_USER_MODEL


class ReferralSettings(models.Model):
    """An agency's configuration: the legal basis its staff record when referring a young
    person without consent (police and child welfare only), and how long that lets the
    receiving agency see the referred record."""

    agency = models.OneToOneField(
        "accounts.Agency",
        verbose_name=_("agency"),
        on_delete=models.CASCADE,
        related_name="referral_settings",
    )
    juvenile_legal_basis = models.CharField(
        _("legal basis for referring a young person"),
        max_length=300,
        blank=True,
        help_text=_("The law your agency refers young people on, e.g. ORS 419B.005 to 419B.050."),
    )
    legal_basis_access_days = models.PositiveSmallIntegerField(
        _("days a legal-basis referral shares the record"),
        default=90,
        help_text=_("Sharing also ends when the referring case closes."),
    )

    class Meta:
        verbose_name = _("referral settings")
        verbose_name_plural = _("referral settings")
        ordering = ["agency_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(legal_basis_access_days__gte=1, legal_basis_access_days__lte=365),
                name="referrals_settings_access_days_range",
            ),
        ]

    def __str__(self) -> str:
        return str(self.agency)


class Referral(models.Model):
    """A referral of a person from one agency (and user) to another agency or program.

    It relies on a consent (or, for police and child welfare referring a young person, the
    legal basis configured for the agency) and shares the data categories listed. Accepting it
    opens the receiver's own person record and case (``receiving_person``/``receiving_case``:
    the two records are known to be the same person) and a time-limited grant to the
    referring record for the shared categories.
    """

    agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("referring agency"),
        on_delete=models.PROTECT,
        related_name="referrals_sent",
    )
    created_by = models.ForeignKey(
        USER,
        verbose_name=_("referred by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="referrals_made",
    )
    person = models.ForeignKey(
        "survivors.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    person_reference = models.CharField(_("person reference"), max_length=12, editable=False)
    case = models.ForeignKey(
        "survivors.Case",
        verbose_name=_("referring case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    to_agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("to agency"),
        on_delete=models.PROTECT,
        related_name="referrals_received",
    )
    to_program = models.ForeignKey(
        "accounts.Program",
        verbose_name=_("to program"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals_received",
    )
    reason = EncryptedTextField(_("reason"), max_length=4000)
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.ROUTINE
    )
    consent = models.ForeignKey(
        "survivors.Consent",
        verbose_name=_("consent relied on"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    categories = models.JSONField(_("data shared"), default=list)
    state = models.CharField(
        _("state"), max_length=12, choices=ReferralState.choices, default=ReferralState.PENDING
    )
    decline_reason = models.CharField(_("why it was declined"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("sent"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        USER,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("declined, withdrawn or completed"), null=True, blank=True)
    receiving_person = models.ForeignKey(
        "survivors.Person",
        verbose_name=_("receiving agency's person record"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals_received",
    )
    receiving_case = models.ForeignKey(
        "survivors.Case",
        verbose_name=_("receiving agency's case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    grant = models.ForeignKey(
        "core.AccessGrant",
        verbose_name=_("access to the referring record"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ProtectedQuerySet.as_manager()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-sent_at", "-id"]
        indexes = [
            models.Index(fields=["to_agency", "state", "-sent_at"], name="referrals_inbox_idx"),
            models.Index(fields=["agency", "state", "-sent_at"], name="referrals_sent_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(consent__isnull=False) | ~Q(legal_basis=""),
                name="referrals_relies_on_consent_or_legal_basis",
            ),
            models.CheckConstraint(
                condition=~Q(agency=models.F("to_agency")),
                name="referrals_to_another_agency",
            ),
            models.CheckConstraint(
                condition=Q(state__in=ReferralState.values), name="referrals_state_known"
            ),
            models.CheckConstraint(
                condition=~Q(state__in=[ReferralState.ACCEPTED, ReferralState.COMPLETED])
                | (Q(accepted_at__isnull=False) & Q(receiving_person__isnull=False)),
                name="referrals_accepted_has_intake",
            ),
            models.CheckConstraint(
                condition=~Q(state=ReferralState.DECLINED) | ~Q(decline_reason=""),
                name="referrals_declined_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return _("Referral %(number)s (%(reference)s)") % {
            "number": self.number,
            "reference": self.person_reference,
        }

    @property
    def number(self) -> str:
        return f"R-{self.pk}"

    @property
    def recipient(self):
        return self.to_program or self.to_agency

    @property
    def time_to_accept(self) -> datetime.timedelta | None:
        """From sent to accepted: what the receiving agency's responsiveness is measured by."""
        if self.accepted_at is None:
            return None
        return self.accepted_at - self.sent_at


class ReferralEvent(models.Model):
    """One state change of a referral: who, when, from and to. Append-only."""

    referral = models.ForeignKey(
        Referral, verbose_name=_("referral"), on_delete=models.CASCADE, related_name="events"
    )
    from_state = models.CharField(
        _("from"), max_length=12, choices=ReferralState.choices, blank=True
    )
    to_state = models.CharField(_("to"), max_length=12, choices=ReferralState.choices)
    at = models.DateTimeField(_("when"))
    by = models.ForeignKey(
        USER,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    by_agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("by agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = EncryptedTextField(_("note"), max_length=1000, blank=True)

    objects = ProtectedQuerySet.as_manager()

    class Meta:
        verbose_name = _("referral event")
        verbose_name_plural = _("referral events")
        ordering = ["referral_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.from_state or '—'} → {self.to_state}"
