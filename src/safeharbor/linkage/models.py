"""Linkage runs over the survivors area's person records, their clusters, the saved model and
the review queue of possible duplicates inside one agency.

No model here holds a name, a date of birth or any other identity value: a run keeps person
ids, cluster numbers, counts and timings; the saved model keeps Splink's parameters only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from safeharbor.core.permissions.queryset import ProtectedQuerySet

from .choices import PairStatus, RunStatus


class LinkageModel(models.Model):
    """A trained linkage model, saved as Splink JSON (m and u probabilities per comparison
    level and the prior; no record values). The current one is reused by every run until a
    run is started with "retrain"."""

    trained_at = models.DateTimeField(_("trained"), auto_now_add=True)
    records = models.PositiveIntegerField(_("records trained on"), default=0)
    settings_json = models.JSONField(_("model parameters"), default=dict)
    is_current = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("linkage model")
        verbose_name_plural = _("linkage models")
        ordering = ["-trained_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=Q(is_current=True),
                name="linkage_model_one_current",
            ),
        ]

    def __str__(self) -> str:
        return _("Model trained %(when)s on %(n)d records") % {
            "when": self.trained_at.strftime("%Y-%m-%d %H:%M") if self.trained_at else "",
            "n": self.records,
        }


class LinkageRun(models.Model):
    """One run of the linkage over every agency's person records: its parameters, the model
    used, time per phase and counts. Owned by the agency of whoever started it (the
    coordinating agency when started from the command line or the demo)."""

    agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("started by agency"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    job = models.ForeignKey(
        "core.Job",
        verbose_name=_("job"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    retrain = models.BooleanField(_("retrain the model"), default=False)
    threshold = models.FloatField(_("match threshold"))
    model = models.ForeignKey(
        LinkageModel,
        verbose_name=_("model"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="runs",
    )
    model_name = models.CharField(_("model used"), max_length=200, blank=True)
    timings = models.JSONField(_("seconds per phase"), default=dict, blank=True)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = ProtectedQuerySet.as_manager()

    class Meta:
        verbose_name = _("linkage run")
        verbose_name_plural = _("linkage runs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(threshold__gt=0, threshold__lte=1),
                name="linkage_run_threshold_is_a_probability",
            ),
        ]

    def __str__(self) -> str:
        return _("Linkage run #%(id)s (%(status)s)") % {
            "id": self.pk,
            "status": self.get_status_display(),
        }

    @property
    def seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None


class ClusterMembership(models.Model):
    """Which cluster (one person, as far as the run can tell) a person record fell in.

    ``linked`` is false for a record that could not take part (a VAWA-covered agency's record
    without consent to statistical linkage): it still counts, on its own. ``cluster`` is the
    smallest person id in the cluster, so it is stable from run to run.
    """

    run = models.ForeignKey(
        LinkageRun, verbose_name=_("run"), on_delete=models.CASCADE, related_name="memberships"
    )
    person = models.ForeignKey(
        "survivors.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="linkage_memberships",
    )
    cluster = models.PositiveBigIntegerField(_("cluster"))
    linked = models.BooleanField(_("took part in linkage"), default=True)

    objects = ProtectedQuerySet.as_manager()

    class Meta:
        verbose_name = _("cluster membership")
        verbose_name_plural = _("cluster memberships")
        ordering = ["run_id", "cluster", "person_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "person"], name="linkage_membership_one_per_run"
            ),
        ]
        indexes = [models.Index(fields=["run", "cluster"], name="linkage_membership_cluster_idx")]

    def __str__(self) -> str:
        return f"{self.person_id} -> {self.cluster}"


class DuplicatePair(models.Model):
    """Two records of one agency that may be the same person, for a supervisor of that agency
    to confirm or reject. Decisions hold in later runs: confirmed pairs are joined, rejected
    pairs kept apart, whatever the model says."""

    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    person_a = models.ForeignKey(
        "survivors.Person",
        verbose_name=_("first record"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    person_b = models.ForeignKey(
        "survivors.Person",
        verbose_name=_("second record"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    match_probability = models.FloatField(_("match probability"))
    status = models.CharField(
        _("decision"), max_length=10, choices=PairStatus.choices, default=PairStatus.PENDING
    )
    first_run = models.ForeignKey(
        LinkageRun,
        verbose_name=_("first found by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_run = models.ForeignKey(
        LinkageRun,
        verbose_name=_("last found by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("found"), auto_now_add=True)

    objects = ProtectedQuerySet.as_manager()

    class Meta:
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        ordering = ["-match_probability", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="linkage_pair_unique"),
            models.CheckConstraint(
                condition=Q(person_a__lt=F("person_b")), name="linkage_pair_ordered"
            ),
            models.CheckConstraint(
                condition=Q(match_probability__gte=0, match_probability__lte=1),
                name="linkage_pair_probability_range",
            ),
        ]
        indexes = [models.Index(fields=["agency", "status"], name="linkage_pair_queue_idx")]

    def __str__(self) -> str:
        return f"{self.person_a_id} / {self.person_b_id} ({self.get_status_display()})"


# Privacy-preserving rounds and the encodings uploaded to them (issue 11): their own module.
from .pprl.models import EncodingUpload, PrivateRound  # noqa: E402, F401
