"""Cases: needs, goals, safety plan, services from the taxonomy, notes, closing."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from safeharbor.core.fields import EncryptedTextField
from safeharbor.core.models import TimeStampedModel
from safeharbor.core.permissions.queryset import ProtectedQuerySet

from ..choices import CaseCloseReason, CaseStatus, ServiceStatus, ServiceType


class Case(TimeStampedModel):
    """An agency's work with a person. Closing needs a supervisor's approval."""

    person = models.ForeignKey(
        "survivors.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="cases"
    )
    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned worker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_survivor_cases",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    opened_on = models.DateField(_("opened"))
    status = models.CharField(
        _("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    needs = EncryptedTextField(_("needs"), max_length=4000, blank=True)
    goals = EncryptedTextField(_("goals"), max_length=4000, blank=True)
    safety_plan = EncryptedTextField(_("safety plan"), max_length=4000, blank=True)
    close_reason = models.CharField(
        _("reason for closing"), max_length=20, choices=CaseCloseReason.choices, blank=True
    )
    close_note = EncryptedTextField(_("closing note"), max_length=2000, blank=True)
    close_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closing asked for by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    close_requested_at = models.DateTimeField(_("closing asked for"), null=True, blank=True)
    closed_on = models.DateField(_("closed"), null=True, blank=True)
    close_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closing approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ProtectedQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=CaseStatus.CLOSED)
                | (Q(closed_on__isnull=False) & ~Q(close_reason="")),
                name="survivors_case_closed_has_date_and_reason",
            ),
            models.CheckConstraint(
                condition=Q(status=CaseStatus.OPEN) | ~Q(close_reason=""),
                name="survivors_case_closing_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["agency", "status"], name="survivors_case_status_idx")]

    def __str__(self) -> str:
        return _("Case %(id)s") % {"id": self.pk}

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.CLOSED


class CaseService(models.Model):
    """A service planned for or delivered to a person, from the taxonomy."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="services"
    )
    service_type = models.CharField(_("service"), max_length=20, choices=ServiceType.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ServiceStatus.choices, default=ServiceStatus.PLANNED
    )
    planned_on = models.DateField(_("planned for"), null=True, blank=True)
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    provider = models.ForeignKey(
        "accounts.Program",
        verbose_name=_("provided by program"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = EncryptedTextField(_("note"), max_length=2000, blank=True)
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
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["case_id", "-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=ServiceStatus.DELIVERED) | Q(delivered_on__isnull=False),
                name="survivors_service_delivered_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_service_type_display()} ({self.get_status_display()})"


class CaseNote(models.Model):
    """A case note. The text is encrypted; notes are never edited, only added."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="notes"
    )
    body = EncryptedTextField(_("note"), max_length=8000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    objects = ProtectedQuerySet.as_manager()

    class Meta:
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")
        ordering = ["case_id", "-created_at", "-id"]

    def __str__(self) -> str:
        return _("Note %(id)s") % {"id": self.pk}
