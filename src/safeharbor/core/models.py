"""Shared base models and the ``Job`` record that long-running work reports progress to."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Adds creation and last-change times."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        abstract = True


class Job(models.Model):
    """A long-running piece of work (linkage run, import, key rotation, report build).

    Tasks update it as they go; pages show its progress live. It holds counts and messages
    written for staff, never identities.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Finished")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=60)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    phase = models.CharField(_("phase"), max_length=200, blank=True)
    percent = models.PositiveSmallIntegerField(_("percent done"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(percent__lte=100), name="core_job_percent_at_most_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.SUCCEEDED, self.Status.FAILED}


# The permission engine's, the files' and the key checks' models live with their code;
# importing them here registers them with core.
from .files import EncryptedFile  # noqa: E402
from .keys import KeyCanary  # noqa: E402
from .permissions.models import AccessGrant, BreakGlassAccess  # noqa: E402

__all__ = [
    "AccessGrant",
    "BreakGlassAccess",
    "EncryptedFile",
    "Job",
    "KeyCanary",
    "TimeStampedModel",
]
