"""The directory as Open Referral HSDS 3.0 objects: organizations, services, locations,
services at locations, phones, schedules, languages, taxonomies and terms.

Identifiers are UUIDs, as HSDS requires. ``last_modified`` on a service is bumped whenever
the service or anything hanging off it changes (the services do that explicitly)."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from safeharbor.core.models import TimeStampedModel
from safeharbor.directory.choices import LocationType, PhoneType, ServiceStatus, Weekday


class HSDSModel(TimeStampedModel):
    """Base of every HSDS object: a UUID primary key."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)

    class Meta:
        abstract = True


class Organization(HSDSModel):
    """An organisation that provides services (HSDS ``organization``)."""

    name = models.CharField(_("name"), max_length=200)
    alternate_name = models.CharField(_("other name"), max_length=200, blank=True)
    description = models.TextField(_("description"))
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("agency on this platform"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="directory_organizations",
    )

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["name"], name="directory_organization_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Location(HSDSModel):
    """Where a service is delivered (HSDS ``location``): a place to visit, or virtual (phone,
    online). A confidential location, such as a shelter, never has an address: people reach
    it by phone only."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="locations",
    )
    location_type = models.CharField(
        _("kind of location"),
        max_length=20,
        choices=LocationType.choices,
        default=LocationType.PHYSICAL,
    )
    name = models.CharField(_("name"), max_length=200)
    alternate_name = models.CharField(_("other name"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    transportation = models.TextField(_("getting there"), blank=True)
    url = models.URLField(_("web address"), blank=True)
    is_confidential = models.BooleanField(
        _("confidential (phone only, never show an address)"), default=False
    )
    address_1 = models.CharField(_("street address"), max_length=200, blank=True)
    address_2 = models.CharField(_("address line 2"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    state_province = models.CharField(_("state"), max_length=60, blank=True)
    postal_code = models.CharField(_("ZIP code"), max_length=20, blank=True)
    country = models.CharField(_("country code"), max_length=2, default="US")
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_confidential=False)
                | Q(
                    address_1="",
                    address_2="",
                    postal_code="",
                    latitude__isnull=True,
                    longitude__isnull=True,
                ),
                name="directory_location_confidential_has_no_address",
                violation_error_message=_(
                    "A confidential location cannot have a street address, ZIP code or map point."
                ),
            ),
            models.CheckConstraint(
                condition=Q(location_type__in=LocationType.values),
                name="directory_location_type_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_address(self) -> bool:
        return bool(self.address_1) and not self.is_confidential

    @property
    def public_place_text(self) -> str:
        if self.has_address:
            parts = [self.name, self.address_1, self.city]
            return ", ".join(p for p in parts if p)
        return self.name


class Service(HSDSModel):
    """A service an organisation offers (HSDS ``service``), optionally delivered under one of
    the platform's programs (``accounts.Program``)."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="services",
    )
    program = models.ForeignKey(
        "accounts.Program",
        verbose_name=_("program"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="directory_services",
    )
    name = models.CharField(_("name"), max_length=200)
    alternate_name = models.CharField(_("other name"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("web address"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE
    )
    is_hotline = models.BooleanField(
        _("hotline"),
        default=False,
        help_text=_("Hotlines are listed first on the “Get help” page."),
    )
    interpretation_services = models.TextField(_("interpretation"), blank=True)
    application_process = models.TextField(_("how to get it"), blank=True)
    fees_description = models.TextField(_("cost"), blank=True)
    eligibility_description = models.TextField(_("who it is for"), blank=True)
    minimum_age = models.PositiveSmallIntegerField(_("youngest age served"), null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(_("oldest age served"), null=True, blank=True)
    alert = models.TextField(_("notice"), blank=True)
    last_modified = models.DateTimeField(_("last modified"), auto_now=True)
    terms = models.ManyToManyField(
        "directory.TaxonomyTerm",
        verbose_name=_("needs and categories"),
        blank=True,
        related_name="services",
    )

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minimum_age__isnull=True)
                | Q(maximum_age__isnull=True)
                | Q(maximum_age__gte=models.F("minimum_age")),
                name="directory_service_age_range_ordered",
                violation_error_message=_("The oldest age served cannot be below the youngest."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=ServiceStatus.values),
                name="directory_service_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ServiceAtLocation(HSDSModel):
    """A service offered at one location (HSDS ``service_at_location``)."""

    service = models.ForeignKey(
        Service,
        verbose_name=_("service"),
        on_delete=models.CASCADE,
        related_name="service_at_locations",
    )
    location = models.ForeignKey(
        Location,
        verbose_name=_("location"),
        on_delete=models.CASCADE,
        related_name="service_at_locations",
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("service at a location")
        verbose_name_plural = _("services at locations")
        ordering = ["service__name", "location__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "location"], name="directory_sal_service_location_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service} — {self.location}"


class Phone(HSDSModel):
    """A phone number (HSDS ``phone``) of a service, organisation or location."""

    service = models.ForeignKey(
        Service,
        verbose_name=_("service"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="phones",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="phones",
    )
    location = models.ForeignKey(
        Location,
        verbose_name=_("location"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="phones",
    )
    number = models.CharField(_("number"), max_length=40)
    extension = models.PositiveIntegerField(_("extension"), null=True, blank=True)
    type = models.CharField(
        _("kind"), max_length=20, choices=PhoneType.choices, default=PhoneType.VOICE
    )
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("phone")
        verbose_name_plural = _("phones")
        ordering = ["number", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(service__isnull=False)
                | Q(organization__isnull=False)
                | Q(location__isnull=False),
                name="directory_phone_belongs_somewhere",
                violation_error_message=_(
                    "Choose the service, organization or location this number belongs to."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def tel_uri(self) -> str:
        digits = "".join(ch for ch in self.number if ch.isdigit())
        if len(digits) == 10:
            digits = "1" + digits
        return f"tel:+{digits}"


class Schedule(HSDSModel):
    """When a service is open (HSDS ``schedule``): weekly hours on given days, or around the
    clock. Around-the-clock schedules are published as every day, 00:00 to 23:59."""

    service = models.ForeignKey(
        Service,
        verbose_name=_("service"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="schedules",
    )
    location = models.ForeignKey(
        Location,
        verbose_name=_("location"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="schedules",
    )
    open_24_hours = models.BooleanField(_("open 24 hours, every day"), default=False)
    byday = models.CharField(
        _("days"),
        max_length=40,
        blank=True,
        help_text=_("Days it is open, as two-letter codes separated by commas: MO,TU,WE."),
    )
    opens_at = models.TimeField(_("opens at"), null=True, blank=True)
    closes_at = models.TimeField(_("closes at"), null=True, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("schedule")
        verbose_name_plural = _("schedules")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(service__isnull=False) | Q(location__isnull=False),
                name="directory_schedule_belongs_somewhere",
                violation_error_message=_("Choose the service or location these hours belong to."),
            ),
            models.CheckConstraint(
                condition=Q(open_24_hours=True)
                | Q(opens_at__isnull=False, closes_at__isnull=False),
                name="directory_schedule_has_hours",
                violation_error_message=_(
                    "Give opening and closing times, or tick “open 24 hours”."
                ),
            ),
        ]

    def __str__(self) -> str:
        if self.open_24_hours:
            return str(_("24 hours, 7 days"))
        return f"{self.byday} {self.opens_at:%H:%M}–{self.closes_at:%H:%M}"

    @property
    def days(self) -> list[str]:
        if self.open_24_hours:
            return list(Weekday.values)
        return [d.strip().upper() for d in self.byday.split(",") if d.strip()]


class Language(HSDSModel):
    """A language a service or location works in (HSDS ``language``)."""

    service = models.ForeignKey(
        Service,
        verbose_name=_("service"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="languages",
    )
    location = models.ForeignKey(
        Location,
        verbose_name=_("location"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="languages",
    )
    code = models.CharField(_("language code"), max_length=10, help_text=_("For example es."))
    name = models.CharField(_("language"), max_length=60)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(service__isnull=False) | Q(location__isnull=False),
                name="directory_language_belongs_somewhere",
                violation_error_message=_(
                    "Choose the service or location that works in this language."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Taxonomy(HSDSModel):
    """A vocabulary of terms (HSDS ``taxonomy``), such as the needs people look for."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"))
    uri = models.URLField(_("web address"), blank=True)
    version = models.CharField(_("version"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("taxonomy")
        verbose_name_plural = _("taxonomies")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["name"], name="directory_taxonomy_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(HSDSModel):
    """One term of a taxonomy (HSDS ``taxonomy_term``), such as “Housing”."""

    taxonomy = models.ForeignKey(
        Taxonomy, verbose_name=_("taxonomy"), on_delete=models.CASCADE, related_name="terms"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("broader term"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"))
    term_uri = models.URLField(_("web address"), blank=True)

    class Meta:
        verbose_name = _("taxonomy term")
        verbose_name_plural = _("taxonomy terms")
        ordering = ["taxonomy__name", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["taxonomy", "code"], name="directory_term_code_unique_in_taxonomy"
            )
        ]

    def __str__(self) -> str:
        return self.name
