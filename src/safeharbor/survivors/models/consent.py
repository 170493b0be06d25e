"""Consent to share: recipients, data categories, purpose, signers, expiry, revocation."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safeharbor.core.fields import EncryptedTextField
from safeharbor.core.permissions.queryset import ProtectedQuerySet

from ..choices import ConsentPurpose, ConsentStatus, SignerRole


class Consent(models.Model):
    """A person's informed, written, time-limited consent to share with named recipients.

    Sharing ends at once on expiry or revocation: every check goes through
    ``selectors.consent_covers``, which compares with the current time. Consent is never a
    condition of service.
    """

    person = models.ForeignKey(
        "survivors.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="consents",
    )
    agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("recorded by agency"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recipient_agencies = models.ManyToManyField(
        "accounts.Agency",
        verbose_name=_("recipient agencies"),
        blank=True,
        related_name="survivor_consents_received",
    )
    recipient_programs = models.ManyToManyField(
        "accounts.Program",
        verbose_name=_("recipient programs"),
        blank=True,
        related_name="survivor_consents_received",
    )
    categories = models.JSONField(_("data that may be shared"), default=list)
    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentPurpose.choices)
    purpose_detail = models.CharField(_("purpose, in words"), max_length=300, blank=True)
    signed_on = models.DateField(_("signed on"))
    expires_on = models.DateField(_("expires on"))
    signed_form = models.ForeignKey(
        "core.EncryptedFile",
        verbose_name=_("signed form"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revocation recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revocation_note = EncryptedTextField(_("revocation note"), max_length=1000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = ProtectedQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-signed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__gt=F("signed_on")),
                name="survivors_consent_expires_after_signing",
            ),
        ]

    def __str__(self) -> str:
        return _("Consent of %(date)s") % {"date": self.signed_on.isoformat()}

    def status_on(self, at: datetime.datetime | None = None) -> str:
        at = at or timezone.now()
        if self.revoked_at is not None and self.revoked_at <= at:
            return ConsentStatus.REVOKED
        today = timezone.localdate(at)
        if today < self.signed_on:
            return ConsentStatus.NOT_STARTED
        if today >= self.expires_on:
            return ConsentStatus.EXPIRED
        return ConsentStatus.ACTIVE

    @property
    def status(self) -> str:
        return self.status_on()

    def get_status_display(self) -> str:
        return str(ConsentStatus(self.status).label)


class ConsentSigner(models.Model):
    """Someone who signed a consent: the person, a parent or guardian, or for a young
    person in state custody the custodial agency's authorised representative."""

    consent = models.ForeignKey(
        Consent, verbose_name=_("consent"), on_delete=models.CASCADE, related_name="signers"
    )
    role = models.CharField(_("signed as"), max_length=20, choices=SignerRole.choices)
    name = EncryptedTextField(_("name"), max_length=200)
    relationship = models.CharField(_("relationship to the person"), max_length=100, blank=True)

    objects = ProtectedQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent signer")
        verbose_name_plural = _("consent signers")
        ordering = ["consent_id", "id"]

    def __str__(self) -> str:
        return str(self.get_role_display())
