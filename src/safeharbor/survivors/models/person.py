"""The person record, its blind-index search terms and per-agency settings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from safeharbor.core.fields import EncryptedDateField, EncryptedJSONField, EncryptedTextField
from safeharbor.core.models import TimeStampedModel
from safeharbor.core.permissions.queryset import ProtectedQuerySet

from ..choices import AgeBand, EstimateBasis, Sex
from ..derive import sex_statistical as derive_sex_statistical

IDENTITY_FIELDS = [
    "given_name",
    "family_name",
    "aliases",
    "dob",
    "estimated_age",
    "estimated_age_basis",
    "estimated_on",
    "sex",
    "gender_identity",
    "phones",
    "emails",
    "address",
    "city",
    "postcode",
    "area",
    "languages",
    "safe_contact",
    "abusers",
    "source_record_id",
]
CASE_FIELDS = ["in_state_custody", "custodial_agency", "emancipated", "assigned_to"]
STATISTICAL_FIELDS = ["reference", "age_band", "sex_statistical", "county"]


class Person(TimeStampedModel):
    """A survivor or young person at risk, as one agency knows them.

    Every identifying value is encrypted; search goes through ``PersonIndexEntry``. The
    pseudonymous ``reference`` (``SH-4F7K-92``), the age band, the sex as counted and the
    county are the only values that can appear outside the identity category. The age band
    (worked out by the services from the date of birth) and the sex as counted (copied from
    the sex on every save) let reports count in the database without decrypting anyone's
    identity.
    """

    agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="survivor_persons",
    )
    reference = models.CharField(_("reference"), max_length=12, unique=True, editable=False)
    source_record_id = models.CharField(
        _("record id in the previous system"), max_length=64, blank=True
    )
    given_name = EncryptedTextField(_("given name"), max_length=100, blank=True)
    family_name = EncryptedTextField(_("family name"), max_length=100, blank=True)
    aliases = EncryptedJSONField(_("aliases and street names"), default=list, blank=True)
    dob = EncryptedDateField(_("date of birth"), null=True, blank=True)
    estimated_age = models.PositiveSmallIntegerField(
        _("estimated age"),
        null=True,
        blank=True,
        help_text=_("Only when the date of birth is not known."),
    )
    estimated_age_basis = models.CharField(
        _("how the age was estimated"), max_length=20, choices=EstimateBasis.choices, blank=True
    )
    estimated_on = models.DateField(_("age estimated on"), null=True, blank=True)
    sex = EncryptedTextField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    gender_identity = EncryptedTextField(_("gender identity"), max_length=100, blank=True)
    phones = EncryptedJSONField(_("phone numbers"), default=list, blank=True)
    emails = EncryptedJSONField(_("email addresses"), default=list, blank=True)
    address = EncryptedTextField(_("last known address"), max_length=200, blank=True)
    city = EncryptedTextField(_("city"), max_length=100, blank=True)
    postcode = EncryptedTextField(_("postcode"), max_length=20, blank=True)
    area = EncryptedTextField(_("last known area"), max_length=100, blank=True)
    languages = EncryptedJSONField(_("languages"), default=list, blank=True)
    safe_contact = EncryptedJSONField(
        _("safe-contact instructions"),
        default=dict,
        blank=True,
        help_text=_("May we call, text or leave a message; safe times; a code word."),
    )
    abusers = EncryptedJSONField(
        _("people recorded as harming this person"),
        default=list,
        blank=True,
        help_text=_("They can never sign a consent for this person."),
    )
    in_state_custody = models.BooleanField(_("in state custody"), default=False)
    custodial_agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("custodial agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    emancipated = models.BooleanField(_("emancipated minor"), default=False)
    age_band = models.CharField(
        _("age band"), max_length=10, choices=AgeBand.choices, default=AgeBand.UNKNOWN
    )
    age_band_on = models.DateField(_("age band worked out on"), null=True, blank=True)
    sex_statistical = models.CharField(
        _("sex, as counted in statistics"),
        max_length=1,
        choices=Sex.choices,
        default=Sex.UNKNOWN,
        editable=False,
        help_text=_("Copied from the sex on every save, for counting without identity."),
    )
    county = models.CharField(_("county"), max_length=60, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned worker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_survivors",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ProtectedQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "source_record_id"],
                condition=~Q(source_record_id=""),
                name="survivors_person_unique_source_record",
            ),
            models.CheckConstraint(
                condition=Q(in_state_custody=True) | Q(custodial_agency__isnull=True),
                name="survivors_person_custodial_agency_needs_custody",
            ),
        ]
        indexes = [
            # Lists page through the visible rows newest first and count them: with the
            # page's sort and the usual filters in the key, PostgreSQL answers both from
            # this index alone (index-only scans), even under the permission engine's
            # "own agency OR shared by a grant" filter, which keeps a plain range scan out.
            models.Index(
                fields=["agency", "-created_at", "-id", "age_band", "assigned_to"],
                name="survivors_person_list_idx",
            ),
            models.Index(fields=["assigned_to", "-created_at"], name="survivors_person_worker_idx"),
            # Newest first across agencies: a list page that also holds records shared by
            # grants reads 25 entries of this index instead of sorting every visible row.
            models.Index(
                fields=["-created_at", "-id", "agency"], name="survivors_person_recent_idx"
            ),
        ]

    def __str__(self) -> str:
        # Never a name: __str__ ends up in logs and admin messages.
        return self.reference

    def save(self, *args, **kwargs) -> None:
        # The statistical copy follows the sex on every save, whoever saves.
        self.sex_statistical = derive_sex_statistical(self.sex)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "sex" in update_fields:
            kwargs["update_fields"] = {*update_fields, "sex_statistical"}
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        name = " ".join(p for p in [self.given_name, self.family_name] if p)
        if name:
            return name
        if self.aliases:
            return str(self.aliases[0])
        return str(_("Name not known"))


class PersonIndexEntry(models.Model):
    """One blind-index term of a person (a name part, the date of birth, a phone number).

    Values are keyed per agency (see ``core.blind_index``) so they only match searches made
    for the same agency.
    """

    class Kind(models.TextChoices):
        NAME = "name", _("Name")
        DOB = "dob", _("Date of birth")
        PHONE = "phone", _("Phone")

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="index_entries"
    )
    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("agency"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    value = models.CharField(_("index value"), max_length=16)

    class Meta:
        verbose_name = _("person search term")
        verbose_name_plural = _("person search terms")
        ordering = ["person_id", "kind", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind", "value"], name="survivors_index_entry_unique"
            ),
        ]
        indexes = [
            # The person last, so a search reads the index alone (no table rows).
            models.Index(
                fields=["agency", "kind", "value", "person"], name="survivors_index_match_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}:{self.kind}"


class AgencySurvivorSettings(models.Model):
    """What an agency configures for this area: a shorter consent limit, its instrument."""

    agency = models.OneToOneField(
        "accounts.Agency",
        verbose_name=_("agency"),
        on_delete=models.CASCADE,
        related_name="survivor_settings",
    )
    consent_max_days = models.PositiveSmallIntegerField(
        _("longest consent, in days"),
        default=365,
        help_text=_("At most 365. A consent cannot run longer than this."),
    )
    screening_instrument = models.ForeignKey(
        "survivors.ScreeningInstrument",
        verbose_name=_("screening instrument"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("agency settings for survivors")
        verbose_name_plural = _("agency settings for survivors")
        ordering = ["agency_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(consent_max_days__gte=1, consent_max_days__lte=365),
                name="survivors_settings_consent_at_most_a_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency}"
