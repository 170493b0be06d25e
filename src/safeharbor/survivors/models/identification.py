"""Identifications: an agency suspects, confirms or rules out trafficking, with history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from safeharbor.core.fields import EncryptedTextField
from safeharbor.core.permissions.queryset import ProtectedQuerySet

from ..choices import IdentificationBasis, IdentificationStatus, TraffickingType


class Identification(models.Model):
    """That an agency suspects or has confirmed (or ruled out) that a person was trafficked.

    ``status`` is the current one; every change, the first included, is a
    ``IdentificationStatusChange`` row.
    """

    person = models.ForeignKey(
        "survivors.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="identifications",
    )
    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    identified_on = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=12, choices=IdentificationStatus.choices)
    basis = models.CharField(_("basis"), max_length=15, choices=IdentificationBasis.choices)
    trafficking_type = models.CharField(
        _("type of trafficking"),
        max_length=10,
        choices=TraffickingType.choices,
        default=TraffickingType.UNKNOWN,
    )
    juvenile_at_identification = models.BooleanField(
        _("under 18 when identified"),
        null=True,
        blank=True,
        help_text=_("Worked out from the date of birth or estimated age."),
    )
    screening = models.ForeignKey(
        "survivors.Screening",
        verbose_name=_("screening"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="identifications",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = ProtectedQuerySet.as_manager()

    class Meta:
        verbose_name = _("identification")
        verbose_name_plural = _("identifications")
        ordering = ["-identified_on", "-id"]
        indexes = [
            models.Index(fields=["person", "-identified_on"], name="survivors_ident_person_idx")
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} ({self.identified_on:%Y-%m-%d})"


class IdentificationStatusChange(models.Model):
    """One step in an identification's history. Append-only."""

    identification = models.ForeignKey(
        Identification,
        verbose_name=_("identification"),
        on_delete=models.CASCADE,
        related_name="history",
    )
    status = models.CharField(_("status"), max_length=12, choices=IdentificationStatus.choices)
    changed_on = models.DateField(_("date"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = EncryptedTextField(_("note"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = ProtectedQuerySet.as_manager()

    class Meta:
        verbose_name = _("identification status change")
        verbose_name_plural = _("identification status changes")
        ordering = ["identification_id", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} ({self.changed_on:%Y-%m-%d})"
