"""Choices of the referrals area."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReferralState(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    COMPLETED = "completed", _("Completed")


class Urgency(models.TextChoices):
    ROUTINE = "routine", _("Routine")
    SOON = "soon", _("Within a few days")
    URGENT = "urgent", _("Urgent: today")


# The state machine: which state each action moves from and to.
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "accept": ((ReferralState.PENDING,), ReferralState.ACCEPTED),
    "decline": ((ReferralState.PENDING,), ReferralState.DECLINED),
    "withdraw": ((ReferralState.PENDING,), ReferralState.WITHDRAWN),
    "complete": ((ReferralState.ACCEPTED,), ReferralState.COMPLETED),
}
OPEN_STATES = (ReferralState.PENDING, ReferralState.ACCEPTED)
