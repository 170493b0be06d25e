"""Fixed choices of the linkage area."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Finished")
    FAILED = "failed", _("Failed")


class PairStatus(models.TextChoices):
    """A supervisor's decision on a possible duplicate inside their agency."""

    PENDING = "pending", _("Waiting for review")
    CONFIRMED = "confirmed", _("Same person")
    REJECTED = "rejected", _("Different people")


class StatusFilter(models.TextChoices):
    """Which identifications a count takes in."""

    SUSPECTED_OR_CONFIRMED = "suspected_or_confirmed", _("Suspected or confirmed")
    CONFIRMED = "confirmed", _("Confirmed only")
    SUSPECTED = "suspected", _("Suspected only")
