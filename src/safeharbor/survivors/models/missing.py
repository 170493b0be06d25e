"""Missing episodes of young people, with the 24-hour reporting deadlines."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safeharbor.core.fields import EncryptedTextField
from safeharbor.core.permissions.queryset import ProtectedQuerySet

REPORT_WITHIN = datetime.timedelta(hours=24)


class MissingEpisode(models.Model):
    """A young person is missing. The agency reports to police and to the National Center
    for Missing & Exploited Children within 24 hours of learning of it."""

    person = models.ForeignKey(
        "survivors.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="missing_episodes",
    )
    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True)
    learned_at = models.DateTimeField(
        _("we learned they were missing"),
        help_text=_("The 24-hour clock for both reports starts here."),
    )
    police_reported_at = models.DateTimeField(_("reported to police"), null=True, blank=True)
    police_report_number = models.CharField(_("police report number"), max_length=40, blank=True)
    ncmec_reported_at = models.DateTimeField(_("reported to NCMEC"), null=True, blank=True)
    ncmec_case_number = models.CharField(_("NCMEC case number"), max_length=40, blank=True)
    returned_at = models.DateTimeField(_("returned or found"), null=True, blank=True)
    overdue_notified_at = models.DateTimeField(
        _("overdue reminder sent"), null=True, blank=True, editable=False
    )
    circumstances = EncryptedTextField(_("circumstances"), max_length=4000, blank=True)
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
        verbose_name = _("missing episode")
        verbose_name_plural = _("missing episodes")
        ordering = ["-learned_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(returned_at__isnull=True) | Q(returned_at__gte=F("learned_at")),
                name="survivors_missing_return_after_learned",
            ),
            models.CheckConstraint(
                condition=Q(last_seen_at__isnull=True) | Q(last_seen_at__lte=F("learned_at")),
                name="survivors_missing_last_seen_before_learned",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "learned_at"], name="survivors_missing_agency_idx")
        ]

    def __str__(self) -> str:
        return _("Missing since %(when)s") % {
            "when": timezone.localtime(self.learned_at).strftime("%Y-%m-%d %H:%M")
        }

    @property
    def report_deadline(self) -> datetime.datetime:
        return self.learned_at + REPORT_WITHIN

    def _overdue(self, reported_at: datetime.datetime | None, now: datetime.datetime) -> bool:
        if reported_at is not None:
            return False
        return now > self.report_deadline

    def police_overdue(self, now: datetime.datetime | None = None) -> bool:
        return self._overdue(self.police_reported_at, now or timezone.now())

    def ncmec_overdue(self, now: datetime.datetime | None = None) -> bool:
        return self._overdue(self.ncmec_reported_at, now or timezone.now())

    @property
    def police_late(self) -> bool:
        return (
            self.police_reported_at is not None and self.police_reported_at > self.report_deadline
        )

    @property
    def ncmec_late(self) -> bool:
        return self.ncmec_reported_at is not None and self.ncmec_reported_at > self.report_deadline

    @property
    def is_open(self) -> bool:
        return self.returned_at is None
