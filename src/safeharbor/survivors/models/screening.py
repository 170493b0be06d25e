"""Screening instruments (versioned definitions) and screenings made with them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from safeharbor.core.fields import EncryptedJSONField, EncryptedTextField
from safeharbor.core.permissions.queryset import ProtectedQuerySet

from ..choices import ScreeningBand


class ScreeningInstrument(models.Model):
    """One version of a screening instrument: domains, items, weights and score bands.

    A version never changes once a screening uses it; changes make a new version. ``agency``
    is empty for instruments every agency may use.
    """

    agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    slug = models.SlugField(_("short name"), max_length=60)
    version = models.PositiveSmallIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=200)
    definition = models.JSONField(_("definition"))
    is_active = models.BooleanField(_("in use"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("screening instrument")
        verbose_name_plural = _("screening instruments")
        ordering = ["slug", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug", "version"], name="survivors_instrument_unique_version"
            ),
            models.CheckConstraint(
                condition=models.Q(version__gte=1), name="survivors_instrument_version_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"


class Screening(models.Model):
    """A screening of a person with one instrument version: answers, score and band."""

    person = models.ForeignKey(
        "survivors.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="screenings",
    )
    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    instrument = models.ForeignKey(
        ScreeningInstrument,
        verbose_name=_("instrument"),
        on_delete=models.PROTECT,
        related_name="screenings",
    )
    screened_on = models.DateField(_("date"))
    answers = EncryptedJSONField(_("answers"), default=dict)
    score = models.PositiveSmallIntegerField(_("score"))
    band = models.CharField(_("result"), max_length=10, choices=ScreeningBand.choices)
    juvenile_at_screening = models.BooleanField(_("under 18 when screened"), null=True)
    note = EncryptedTextField(_("note"), max_length=2000, blank=True)
    missing_episode = models.ForeignKey(
        "survivors.MissingEpisode",
        verbose_name=_("after a missing episode"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="return_screenings",
    )
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("screened by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = ProtectedQuerySet.as_manager()

    class Meta:
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")
        ordering = ["-screened_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_band_display()} ({self.screened_on:%Y-%m-%d})"

    @property
    def suggests_identification(self) -> bool:
        return self.band in {ScreeningBand.POSSIBLE, ScreeningBand.CLEAR}
