"""Choices of the directory and events. HSDS 3.0 values are kept as the standard spells them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")
    POSTPONED = "postponed", _("Postponed")
    COMPLETED = "completed", _("Completed")


class EventKind(models.TextChoices):
    EVENT = "event", _("Public event")
    MEETING = "meeting", _("Public meeting")
    HEARING = "hearing", _("Hearing")
    CEREMONY = "ceremony", _("Ceremony")
    TRAINING = "training", _("Training")


class ServiceStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")
    DEFUNCT = "defunct", _("No longer offered")
    TEMPORARILY_CLOSED = "temporarily closed", _("Temporarily closed")


class LocationType(models.TextChoices):
    PHYSICAL = "physical", _("A place you can visit")
    POSTAL = "postal", _("Postal address")
    VIRTUAL = "virtual", _("By phone or online")


class PhoneType(models.TextChoices):
    VOICE = "voice", _("Voice")
    TEXT = "text", _("Text message")
    CELL = "cell", _("Mobile")
    FAX = "fax", _("Fax")
    VIDEO = "video", _("Video")
    TEXTPHONE = "textphone", _("Textphone (TTY)")


class Weekday(models.TextChoices):
    MO = "MO", _("Monday")
    TU = "TU", _("Tuesday")
    WE = "WE", _("Wednesday")
    TH = "TH", _("Thursday")
    FR = "FR", _("Friday")
    SA = "SA", _("Saturday")
    SU = "SU", _("Sunday")
