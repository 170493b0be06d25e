"""Choices of the legislation area. Open Civic Data values are kept as the standard spells
them, so Open States files import without translation tables."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class JurisdictionKind(models.TextChoices):
    STATE = "state", _("State")
    COUNTRY = "country", _("Country")
    COUNTY = "county", _("County")
    MUNICIPALITY = "municipality", _("City or town")


class Chamber(models.TextChoices):
    """OCD organization classifications of a legislature's parts."""

    UPPER = "upper", _("Senate")
    LOWER = "lower", _("House")
    LEGISLATURE = "legislature", _("Legislature")
    EXECUTIVE = "executive", _("Governor")


class BillClassification(models.TextChoices):
    BILL = "bill", _("Bill")
    RESOLUTION = "resolution", _("Resolution")
    CONCURRENT_RESOLUTION = "concurrent resolution", _("Concurrent resolution")
    JOINT_RESOLUTION = "joint resolution", _("Joint resolution")
    MEMORIAL = "memorial", _("Memorial")
    CONSTITUTIONAL_AMENDMENT = "constitutional amendment", _("Constitutional amendment")


class SponsorshipKind(models.TextChoices):
    PRIMARY = "primary", _("Primary sponsor")
    COSPONSOR = "cosponsor", _("Co-sponsor")


class SponsorEntity(models.TextChoices):
    PERSON = "person", _("Legislator")
    ORGANIZATION = "organization", _("Committee or body")


class ActionClassification(models.TextChoices):
    """The OCD bill action vocabulary (as used by Open States)."""

    FILING = "filing", _("Filed")
    INTRODUCTION = "introduction", _("Introduced")
    READING_1 = "reading-1", _("First reading")
    READING_2 = "reading-2", _("Second reading")
    READING_3 = "reading-3", _("Third reading")
    REFERRAL_COMMITTEE = "referral-committee", _("Referred to committee")
    REFERRAL = "referral", _("Referred")
    COMMITTEE_PASSAGE = "committee-passage", _("Passed committee")
    COMMITTEE_PASSAGE_FAVORABLE = "committee-passage-favorable", _("Passed committee, favorable")
    COMMITTEE_PASSAGE_UNFAVORABLE = (
        "committee-passage-unfavorable",
        _("Passed committee, unfavorable"),
    )
    COMMITTEE_FAILURE = "committee-failure", _("Failed in committee")
    AMENDMENT_INTRODUCTION = "amendment-introduction", _("Amendment introduced")
    AMENDMENT_PASSAGE = "amendment-passage", _("Amendment adopted")
    AMENDMENT_FAILURE = "amendment-failure", _("Amendment failed")
    AMENDMENT_WITHDRAWAL = "amendment-withdrawal", _("Amendment withdrawn")
    PASSAGE = "passage", _("Passed")
    FAILURE = "failure", _("Failed")
    WITHDRAWAL = "withdrawal", _("Withdrawn")
    SUBSTITUTION = "substitution", _("Substituted")
    DEFERRAL = "deferral", _("Deferred")
    VETO_OVERRIDE_PASSAGE = "veto-override-passage", _("Veto overridden")
    VETO_OVERRIDE_FAILURE = "veto-override-failure", _("Veto override failed")
    EXECUTIVE_RECEIPT = "executive-receipt", _("Sent to the Governor")
    EXECUTIVE_SIGNATURE = "executive-signature", _("Signed by the Governor")
    EXECUTIVE_VETO = "executive-veto", _("Vetoed")
    EXECUTIVE_VETO_LINE_ITEM = "executive-veto-line-item", _("Line-item veto")
    BECAME_LAW = "became-law", _("Became law")
    CHAPTERED = "became-law-chaptered", _("Chaptered")


class BillStatus(models.TextChoices):
    """Where a bill stands, derived from its actions (never entered by hand)."""

    NO_ACTION = "no-action", _("No action recorded")
    INTRODUCED = "introduced", _("Introduced")
    IN_COMMITTEE = "in-committee", _("In committee")
    PASSED_COMMITTEE = "passed-committee", _("Passed committee")
    PASSED_ONE_CHAMBER = "passed-one-chamber", _("Passed one chamber")
    PASSED_LEGISLATURE = "passed-legislature", _("Passed the legislature")
    SENT_TO_GOVERNOR = "sent-to-governor", _("Sent to the Governor")
    SIGNED = "signed", _("Signed by the Governor")
    BECAME_LAW = "became-law", _("Became law")
    VETOED = "vetoed", _("Vetoed")
    FAILED = "failed", _("Did not pass")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class DocumentKind(models.TextChoices):
    VERSION = "version", _("Version of the text")
    DOCUMENT = "document", _("Related document")


class CitationType(models.TextChoices):
    """OCD bill citation types."""

    PROPOSED = "proposed", _("Proposed change")
    CHAPTER = "chapter", _("Session law chapter")
    FINAL = "final", _("Final citation")
    LAST = "last", _("Last known citation")


class RelationType(models.TextChoices):
    COMPANION = "companion", _("Companion bill")
    PRIOR_SESSION = "prior-session", _("Same bill in an earlier session")
    REPLACED_BY = "replaced-by", _("Replaced by")
    REPLACES = "replaces", _("Replaces")
    RELATED = "related", _("Related")


class Stance(models.TextChoices):
    SUPPORT = "support", _("Support")
    OPPOSE = "oppose", _("Oppose")
    AMEND = "amend", _("Support if amended")
    MONITOR = "monitor", _("Monitor")


class PriorityLevel(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")
