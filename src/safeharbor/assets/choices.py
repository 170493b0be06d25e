"""Choices of the seized-property area, and the forfeiture state machine as data."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AssetKind(models.TextChoices):
    VEHICLE = "vehicle", _("Vehicle")
    PHONE = "phone", _("Phone")
    COMPUTER = "computer", _("Computer")
    CASH = "cash", _("Cash")
    OTHER = "other", _("Other property")


class ForfeitureState(models.TextChoices):
    SEIZED = "seized", _("Seized")
    NOTICE_SENT = "notice_sent", _("Notice sent, claim window open")
    CLAIM_FILED = "claim_filed", _("Claim filed")
    NO_CLAIM = "no_claim", _("No claim filed")
    FORFEITED = "forfeited", _("Forfeited")
    SETTLED = "settled", _("Settled")
    RETURNED = "returned", _("Returned to owner")
    DISPOSED = "disposed", _("Disposed")


# The forfeiture proceeding. Anything not listed here is refused with a message naming the
# moves that are allowed from the current state.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    ForfeitureState.SEIZED: (ForfeitureState.NOTICE_SENT, ForfeitureState.RETURNED),
    ForfeitureState.NOTICE_SENT: (
        ForfeitureState.CLAIM_FILED,
        ForfeitureState.NO_CLAIM,
        ForfeitureState.RETURNED,
    ),
    ForfeitureState.CLAIM_FILED: (
        ForfeitureState.FORFEITED,
        ForfeitureState.SETTLED,
        ForfeitureState.RETURNED,
    ),
    ForfeitureState.NO_CLAIM: (ForfeitureState.FORFEITED, ForfeitureState.RETURNED),
    ForfeitureState.FORFEITED: (ForfeitureState.DISPOSED,),
    ForfeitureState.SETTLED: (ForfeitureState.DISPOSED,),
    ForfeitureState.RETURNED: (),
    ForfeitureState.DISPOSED: (),
}

# Reached through the disposition form, not the forfeiture steps form.
STEP_STATES = tuple(s for s in ForfeitureState.values if s != ForfeitureState.DISPOSED)
JUDGMENT_STATES = (ForfeitureState.FORFEITED, ForfeitureState.SETTLED, ForfeitureState.RETURNED)
OPEN_STATES = (
    ForfeitureState.SEIZED,
    ForfeitureState.NOTICE_SENT,
    ForfeitureState.CLAIM_FILED,
    ForfeitureState.NO_CLAIM,
    ForfeitureState.FORFEITED,
    ForfeitureState.SETTLED,
)


class NoticeMethod(models.TextChoices):
    CERTIFIED_MAIL = "certified_mail", _("Certified mail, return receipt")
    PERSONAL_SERVICE = "personal_service", _("Personal service")
    PUBLICATION = "publication", _("Publication")
    FIRST_CLASS_MAIL = "first_class_mail", _("First-class mail")


class DispositionMethod(models.TextChoices):
    SOLD = "sold", _("Sold")
    OFFICIAL_USE = "official_use", _("Kept for official use")
    DESTROYED = "destroyed", _("Destroyed")
    CASH_DEPOSITED = "cash_deposited", _("Cash deposited")
