"""Jurisdictions, sessions, statutes and bills in the Open Civic Data shape Open States uses,
and the city's own layer on top: priorities, proposals, positions, notes and watchers.

Bill status and timeline are derived from actions (see ``selectors``); nothing stores them.
Content shown on the public site is translatable with django-modeltranslation (see
``translation.py``): ``summary`` reads in the visitor's language, falling back to English, and
``summary_en``/``summary_es`` hold each language.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from safeharbor.core.models import TimeStampedModel

from .choices import (
    BillClassification,
    Chamber,
    CitationType,
    DocumentKind,
    JurisdictionKind,
    PriorityLevel,
    RelationType,
    SponsorEntity,
    SponsorshipKind,
    Stance,
)

# OCD dates are "fuzzy": a year, a year and month, or a full date (ISO 8601, sortable as text).
FUZZY_DATE_RE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
fuzzy_date_validator = RegexValidator(
    FUZZY_DATE_RE, _("Enter a date as YYYY-MM-DD (or YYYY-MM, or YYYY if that is all we know).")
)


class Jurisdiction(TimeStampedModel):
    """A government that makes law, such as the State of Oregon (an OCD jurisdiction)."""

    name = models.CharField(_("name"), max_length=200)
    ocd_id = models.CharField(
        _("Open Civic Data id"),
        max_length=200,
        unique=True,
        help_text=_("For example ocd-jurisdiction/country:us/state:or/government."),
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=JurisdictionKind.choices, default=JurisdictionKind.STATE
    )
    url = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("jurisdiction")
        verbose_name_plural = _("jurisdictions")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class LegislativeSession(TimeStampedModel):
    """A session of a jurisdiction's legislature, such as Oregon's 2011 regular session."""

    jurisdiction = models.ForeignKey(
        Jurisdiction,
        verbose_name=_("jurisdiction"),
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    identifier = models.CharField(
        _("identifier"), max_length=60, help_text=_("As Open States names it, e.g. 2011R1.")
    )
    name = models.CharField(_("name"), max_length=200)
    start_date = models.DateField(_("starts"), null=True, blank=True)
    end_date = models.DateField(_("ends"), null=True, blank=True)

    class Meta:
        verbose_name = _("legislative session")
        verbose_name_plural = _("legislative sessions")
        ordering = ["jurisdiction__name", "-identifier", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "identifier"], name="legislation_session_unique"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="legislation_session_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.jurisdiction.name}: {self.name}"


class Statute(TimeStampedModel):
    """A section of a jurisdiction's code, cited by bills, proposals and (later) charges.

    The summary is ours, in plain words, never the statute's text."""

    jurisdiction = models.ForeignKey(
        Jurisdiction,
        verbose_name=_("jurisdiction"),
        on_delete=models.PROTECT,
        related_name="statutes",
    )
    citation = models.CharField(
        _("citation"), max_length=60, help_text=_("As it is cited, e.g. ORS 167.017.")
    )
    title = models.CharField(_("title"), max_length=200)
    link = models.URLField(_("link to the official text"), blank=True)
    summary = models.TextField(_("our summary"), blank=True)

    class Meta:
        verbose_name = _("statute")
        verbose_name_plural = _("statutes")
        ordering = ["jurisdiction__name", "citation", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "citation"], name="legislation_statute_unique_citation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.citation} — {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("legislation:statute-edit", args=[self.pk])


class Bill(TimeStampedModel):
    """A bill or resolution in a session (OCD bill). Identified by session and identifier."""

    session = models.ForeignKey(
        LegislativeSession,
        verbose_name=_("session"),
        on_delete=models.PROTECT,
        related_name="bills",
    )
    identifier = models.CharField(_("identifier"), max_length=40, help_text=_("E.g. SB 425."))
    title = models.TextField(_("official title"))
    chamber = models.CharField(
        _("chamber of origin"), max_length=20, choices=Chamber.choices, blank=True
    )
    classification = models.CharField(
        _("classification"),
        max_length=40,
        choices=BillClassification.choices,
        default=BillClassification.BILL,
    )
    subjects = models.JSONField(_("subjects"), default=list, blank=True)
    abstract = models.TextField(_("official abstract"), blank=True)
    summary = models.TextField(_("our summary"), blank=True)
    ocd_id = models.CharField(_("Open Civic Data id"), max_length=200, blank=True)
    source_url = models.URLField(_("source"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("bill")
        verbose_name_plural = _("bills")
        ordering = ["session__jurisdiction__name", "-session__identifier", "identifier", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "identifier"], name="legislation_bill_unique_identifier"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.identifier} ({self.session.identifier})"

    def get_absolute_url(self) -> str:
        return reverse("legislation:bill-detail", args=[self.pk])


class BillSponsorship(models.Model):
    """A legislator or committee sponsoring a bill."""

    bill = models.ForeignKey(
        Bill, verbose_name=_("bill"), on_delete=models.CASCADE, related_name="sponsorships"
    )
    name = models.CharField(_("name"), max_length=200)
    entity_type = models.CharField(
        _("sponsor is"), max_length=20, choices=SponsorEntity.choices, default=SponsorEntity.PERSON
    )
    classification = models.CharField(
        _("kind"), max_length=20, choices=SponsorshipKind.choices, default=SponsorshipKind.PRIMARY
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("sponsorship")
        verbose_name_plural = _("sponsorships")
        ordering = ["bill", "order", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_classification_display()})"

    @property
    def primary(self) -> bool:
        return self.classification == SponsorshipKind.PRIMARY


class BillAction(models.Model):
    """Something that happened to a bill, with OCD classifications (introduction,
    referral-committee, passage, executive-signature, ...). The bill's status comes from these."""

    bill = models.ForeignKey(
        Bill, verbose_name=_("bill"), on_delete=models.CASCADE, related_name="actions"
    )
    date = models.CharField(_("date"), max_length=10, validators=[fuzzy_date_validator])
    description = models.CharField(_("description"), max_length=500)
    chamber = models.CharField(_("acting body"), max_length=20, choices=Chamber.choices, blank=True)
    organization = models.CharField(
        _("acting body's name"), max_length=200, blank=True, help_text=_("E.g. Senate.")
    )
    classifications = models.JSONField(_("classifications"), default=list, blank=True)
    order = models.PositiveIntegerField(_("order"))
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("bill action")
        verbose_name_plural = _("bill actions")
        ordering = ["bill", "date", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["bill", "order"], name="legislation_action_unique_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date}: {self.description}"

    def classification_labels(self) -> list[str]:
        from .choices import ActionClassification

        labels = dict(ActionClassification.choices)
        return [str(labels.get(code, code)) for code in self.classifications]


class BillDocument(models.Model):
    """A version of a bill's text or a related document (fiscal note, testimony), as a link."""

    bill = models.ForeignKey(
        Bill, verbose_name=_("bill"), on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    note = models.CharField(_("name"), max_length=300)
    date = models.CharField(_("date"), max_length=10, blank=True, validators=[fuzzy_date_validator])
    url = models.URLField(_("link"), max_length=500)
    media_type = models.CharField(_("media type"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("bill document")
        verbose_name_plural = _("bill documents")
        ordering = ["bill", "kind", "date", "id"]

    def __str__(self) -> str:
        return self.note


class BillCitation(models.Model):
    """A bill's citation to a statute: a section it proposes to change, the session-law
    chapter it became, or the final citation, with the date it takes effect."""

    bill = models.ForeignKey(
        Bill, verbose_name=_("bill"), on_delete=models.CASCADE, related_name="citations"
    )
    statute = models.ForeignKey(
        Statute,
        verbose_name=_("statute"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bill_citations",
    )
    citation = models.CharField(_("citation"), max_length=100)
    publication = models.CharField(_("publication"), max_length=100, blank=True)
    citation_type = models.CharField(
        _("type"), max_length=20, choices=CitationType.choices, default=CitationType.PROPOSED
    )
    effective = models.DateField(_("takes effect"), null=True, blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        ordering = ["bill", "citation_type", "citation", "id"]

    def __str__(self) -> str:
        return self.citation


class RelatedBill(models.Model):
    """Another bill this one relates to; linked when it is in our database."""

    bill = models.ForeignKey(
        Bill, verbose_name=_("bill"), on_delete=models.CASCADE, related_name="related_bills"
    )
    identifier = models.CharField(_("identifier"), max_length=40)
    session_identifier = models.CharField(_("session"), max_length=60)
    relation_type = models.CharField(
        _("relation"), max_length=20, choices=RelationType.choices, default=RelationType.RELATED
    )
    related = models.ForeignKey(
        Bill,
        verbose_name=_("related bill"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("related bill")
        verbose_name_plural = _("related bills")
        ordering = ["bill", "session_identifier", "identifier", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(related=models.F("bill")), name="legislation_related_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.identifier} ({self.session_identifier})"


class Priority(TimeStampedModel):
    """One of the city's legislative priorities: an objective, the issue behind it, the
    proposals it supports and the bills it follows."""

    title = models.CharField(_("title"), max_length=200)
    objective = models.TextField(_("objective"))
    issue = models.TextField(_("issue statement"))
    session = models.ForeignKey(
        LegislativeSession,
        verbose_name=_("session"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="priorities",
    )
    bills = models.ManyToManyField(
        Bill, verbose_name=_("bills followed"), blank=True, related_name="priorities"
    )
    is_public = models.BooleanField(_("show on the public site"), default=False)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("legislative priority")
        verbose_name_plural = _("legislative priorities")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("legislation:priority-detail", args=[self.pk])


class Proposal(models.Model):
    """A change the city proposes under a priority, linked to the statutes and bills it
    concerns."""

    priority = models.ForeignKey(
        Priority, verbose_name=_("priority"), on_delete=models.CASCADE, related_name="proposals"
    )
    text = models.TextField(_("proposal"))
    statutes = models.ManyToManyField(
        Statute, verbose_name=_("statutes"), blank=True, related_name="proposals"
    )
    bills = models.ManyToManyField(
        Bill, verbose_name=_("bills"), blank=True, related_name="proposals"
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["priority", "order", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class BillPosition(TimeStampedModel):
    """The city's position on a bill, its priority, why, and who looks after it."""

    bill = models.OneToOneField(
        Bill, verbose_name=_("bill"), on_delete=models.CASCADE, related_name="position"
    )
    stance = models.CharField(_("position"), max_length=20, choices=Stance.choices)
    priority = models.CharField(
        _("priority"), max_length=10, choices=PriorityLevel.choices, default=PriorityLevel.MEDIUM
    )
    rationale = models.TextField(_("rationale"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_public = models.BooleanField(
        _("show the position on the public site"),
        default=False,
        help_text=_("The rationale and owner always stay internal."),
    )

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["bill", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(stance__in=Stance.values), name="legislation_position_stance_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_stance_display()}: {self.bill.identifier}"


class BillNote(models.Model):
    """A staff note on a bill (meetings, testimony given, calls). Internal only."""

    bill = models.ForeignKey(
        Bill, verbose_name=_("bill"), on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = models.TextField(_("note"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["bill", "-created_at", "-id"]

    def __str__(self) -> str:
        return self.body[:60]


class BillWatch(models.Model):
    """A staff member watching a bill: each new action notifies them in the app."""

    bill = models.ForeignKey(
        Bill, verbose_name=_("bill"), on_delete=models.CASCADE, related_name="watches"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="bill_watches",
    )
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("watch")
        verbose_name_plural = _("watches")
        ordering = ["bill", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["bill", "user"], name="legislation_watch_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.bill.identifier}"


class AgendaItem(models.Model):
    """A bill on the agenda of an event (a hearing, a bill signing). The event itself is the
    platform's one ``directory.Event``."""

    event = models.ForeignKey(
        "directory.Event",
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        related_name="agenda_items",
    )
    bill = models.ForeignKey(
        Bill, verbose_name=_("bill"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    description = models.CharField(_("what happens"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["event", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "bill"], name="legislation_agenda_unique_bill"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bill.identifier} @ {self.event_id}"
