"""Fixed choices of the survivors area: statuses, bases, the service taxonomy, signers."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    """Sex as recorded, with the one-letter codes the import and linkage files use."""

    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    X = "X", _("X (non-binary or another sex)")
    UNKNOWN = "U", _("Unknown or not given")


class EstimateBasis(models.TextChoices):
    """How an age was estimated when no date of birth is known."""

    SELF_REPORT = "self_report", _("The person told us")
    DOCUMENT = "document", _("From a document")
    STAFF_ESTIMATE = "staff_estimate", _("Estimated by staff")
    OTHER_AGENCY = "other_agency", _("From another agency")
    MEDICAL = "medical", _("Medical assessment")


class AgeBand(models.TextChoices):
    """Non-identifying age bands used in lists and counts."""

    UNDER_12 = "under_12", _("Under 12")
    AGE_12_14 = "12_14", _("12 to 14")
    AGE_15_17 = "15_17", _("15 to 17")
    AGE_18_24 = "18_24", _("18 to 24")
    AGE_25_34 = "25_34", _("25 to 34")
    AGE_35_PLUS = "35_plus", _("35 or older")
    UNKNOWN = "unknown", _("Age not known")


JUVENILE_BANDS = frozenset({AgeBand.UNDER_12, AgeBand.AGE_12_14, AgeBand.AGE_15_17})


class IdentificationStatus(models.TextChoices):
    SUSPECTED = "suspected", _("Suspected")
    CONFIRMED = "confirmed", _("Confirmed")
    RULED_OUT = "ruled_out", _("Ruled out")


class IdentificationBasis(models.TextChoices):
    SCREENING = "screening", _("Screening")
    DISCLOSURE = "disclosure", _("Disclosure by the person")
    INVESTIGATION = "investigation", _("Investigation")
    REFERRAL = "referral", _("Referral from another agency")


class TraffickingType(models.TextChoices):
    SEX = "sex", _("Sex trafficking")
    LABOR = "labor", _("Labor trafficking")
    BOTH = "both", _("Sex and labor trafficking")
    UNKNOWN = "unknown", _("Not known yet")


class ScreeningBand(models.TextChoices):
    """The result of a screening, from the instrument's score bands."""

    NO_CONCERN = "no", _("No concern indicated")
    POSSIBLE = "possible", _("Possible concern")
    CLEAR = "clear", _("Clear concern")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSE_REQUESTED = "close_requested", _("Waiting for approval to close")
    CLOSED = "closed", _("Closed")


class CaseCloseReason(models.TextChoices):
    GOALS_MET = "goals_met", _("Goals met")
    PERSON_DECLINED = "person_declined", _("The person chose to stop services")
    LOST_CONTACT = "lost_contact", _("Lost contact")
    MOVED = "moved", _("Moved out of the area")
    TRANSFERRED = "transferred", _("Transferred to another agency")
    AGED_OUT = "aged_out", _("Aged out of the program")
    OTHER = "other", _("Other")


class ServiceType(models.TextChoices):
    """The service taxonomy every agency logs against."""

    CRISIS_RESPONSE = "crisis_response", _("Crisis response")
    SHELTER = "shelter", _("Shelter")
    HOUSING = "housing", _("Housing")
    LEGAL = "legal", _("Legal")
    MEDICAL = "medical", _("Medical")
    MENTAL_HEALTH = "mental_health", _("Mental health")
    SUBSTANCE_USE = "substance_use", _("Substance use")
    EDUCATION = "education", _("Education")
    EMPLOYMENT = "employment", _("Employment")
    IMMIGRATION = "immigration", _("Immigration")
    CASE_MANAGEMENT = "case_management", _("Case management")
    TRANSPORTATION = "transportation", _("Transportation")
    OTHER = "other", _("Other")


class ServiceStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled")


class DataCategory(models.TextChoices):
    """What a consent lets a recipient see; matches the permission engine's categories."""

    IDENTITY = "identity", _("Identity (names, contact details, date of birth)")
    CASE = "case", _("Case and services")
    STATISTICAL = "statistical", _("Statistical linkage (non-identifying counts)")


class ConsentPurpose(models.TextChoices):
    REFERRAL = "referral", _("Referral for services")
    COORDINATION = "coordination", _("Coordinating services between agencies")
    HOUSING = "housing", _("Housing application")
    LEGAL = "legal", _("Legal help")
    STATISTICS = "statistics", _("Counting people served (statistical use)")
    OTHER = "other", _("Other purpose, described below")


class SignerRole(models.TextChoices):
    PERSON = "person", _("The person")
    PARENT = "parent", _("Parent")
    LEGAL_GUARDIAN = "legal_guardian", _("Legal guardian")
    CUSTODIAL_AGENCY = "custodial_agency", _("Authorised representative of the custodial agency")


GUARDIAN_ROLES = frozenset({SignerRole.PARENT, SignerRole.LEGAL_GUARDIAN})


class ConsentStatus(models.TextChoices):
    """Derived, never stored: a consent is active until it expires or is revoked."""

    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")
    NOT_STARTED = "not_started", _("Not yet in effect")


class ContactMethod(models.TextChoices):
    CALL = "call", _("Call")
    TEXT = "text", _("Text")
    VOICEMAIL = "voicemail", _("Leave a voicemail")
    EMAIL = "email", _("Email")
