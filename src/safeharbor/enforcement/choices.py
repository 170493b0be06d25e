"""Choices of the enforcement area."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Rank(models.TextChoices):
    OFFICER = "officer", _("Officer")
    DETECTIVE = "detective", _("Detective")
    SERGEANT = "sergeant", _("Sergeant")


class OperationKind(models.TextChoices):
    STREET = "street", _("Street")
    ONLINE = "online", _("Online")
    REVERSE_STING = "reverse_sting", _("Reverse sting")
    HOTEL_MOTEL = "hotel_motel", _("Hotel or motel")
    OUTREACH = "outreach", _("Outreach")


class OperationStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    UNDERWAY = "underway", _("Underway")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class ContactRole(models.TextChoices):
    VICTIM = "victim", _("Victim")
    BUYER = "buyer", _("Buyer")
    EXPLOITER = "exploiter", _("Exploiter")
    WITNESS = "witness", _("Witness")


SUBJECT_ROLES = (ContactRole.BUYER, ContactRole.EXPLOITER)


class SubjectKind(models.TextChoices):
    BUYER = "buyer", _("Buyer")
    EXPLOITER = "exploiter", _("Exploiter")


class ReferralDecision(models.TextChoices):
    MADE = "made", _("A referral was made")
    DECLINED = "declined", _("The person declined a referral")


class InvestigationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACTIVE = "active", _("Active")
    REFERRED = "referred", _("Referred for prosecution")
    CLOSED = "closed", _("Closed")


class ChargeStatus(models.TextChoices):
    FILED = "filed", _("Filed")
    DISMISSED = "dismissed", _("Dismissed")
    CONVICTED = "convicted", _("Convicted")
    ACQUITTED = "acquitted", _("Acquitted")
    PLEADED = "pleaded", _("Pleaded to a lesser charge")


class FollowUpKind(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("Phone call")
    TEXT = "text", _("Text message")
    WITH_ADVOCATE = "with_advocate", _("Together with an advocate")
    COURT = "court", _("At court")
    OTHER = "other", _("Other")
