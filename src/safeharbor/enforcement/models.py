"""The police unit: its roster, operations ("missions"), contacts, subjects (buyers and
exploiters, kept apart from survivors), investigations, arrests, charges and the follow-up
log of relationship building with victims.

Survivors are never subjects: a victim contact points at a ``survivors.Person``; buyers and
exploiters are ``Subject`` records with their identity encrypted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from safeharbor.core.fields import EncryptedDateField, EncryptedJSONField, EncryptedTextField
from safeharbor.core.models import TimeStampedModel
from safeharbor.core.permissions.queryset import ProtectedQuerySet

from .choices import (
    ChargeStatus,
    ContactRole,
    FollowUpKind,
    InvestigationStatus,
    OperationKind,
    OperationStatus,
    Rank,
    ReferralDecision,
    SubjectKind,
)

USER = settings.AUTH_USER_MODEL


class UnitMember(TimeStampedModel):
    """A member of the agency's unit roster, with rank."""

    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        USER, verbose_name=_("member"), on_delete=models.PROTECT, related_name="unit_memberships"
    )
    rank = models.CharField(_("rank"), max_length=20, choices=Rank.choices)
    badge_number = models.CharField(_("badge number"), max_length=20, blank=True)
    joined_on = models.DateField(_("joined the unit"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        USER,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ProtectedQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit member")
        verbose_name_plural = _("unit roster")
        ordering = ["agency_id", "rank", "user__full_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "user"], name="enforcement_unitmember_unique_user"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_rank_display()} {self.user}"


class Operation(TimeStampedModel):
    """An operation ("mission"): where in general terms, when, who led it, what came of it.

    ``general_area`` is a neighbourhood or corridor, never an exact address.
    """

    agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="enforcement_operations",
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("type"), max_length=20, choices=OperationKind.choices)
    started_on = models.DateField(_("date"))
    ended_on = models.DateField(_("ended"), null=True, blank=True)
    general_area = models.CharField(
        _("general area"),
        max_length=120,
        help_text=_("A neighbourhood, corridor or website, not an exact address."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=OperationStatus.choices,
        default=OperationStatus.PLANNED,
    )
    lead = models.ForeignKey(
        USER, verbose_name=_("lead"), on_delete=models.PROTECT, related_name="+"
    )
    participants = models.ManyToManyField(
        USER, verbose_name=_("participants"), blank=True, related_name="+"
    )
    after_action_summary = EncryptedTextField(
        _("after-action summary"), max_length=10000, blank=True
    )
    created_by = models.ForeignKey(
        USER,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ProtectedQuerySet.as_manager()

    class Meta:
        verbose_name = _("operation")
        verbose_name_plural = _("operations")
        ordering = ["-started_on", "-id"]
        indexes = [
            models.Index(fields=["agency", "-started_on"], name="enforcement_op_agency_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="enforcement_operation_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.started_on.isoformat()})"


class Subject(TimeStampedModel):
    """A buyer or exploiter, kept apart from survivors. Identity is encrypted; pages and
    statistics use the pseudonymous ``reference``."""

    agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="enforcement_subjects",
    )
    reference = models.CharField(_("reference"), max_length=16, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=SubjectKind.choices)
    given_name = EncryptedTextField(_("given name"), max_length=100, blank=True)
    family_name = EncryptedTextField(_("family name"), max_length=100, blank=True)
    aliases = EncryptedJSONField(_("aliases and online handles"), default=list, blank=True)
    dob = EncryptedDateField(_("date of birth"), null=True, blank=True)
    description = EncryptedTextField(_("description"), max_length=2000, blank=True)
    created_by = models.ForeignKey(
        USER,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ProtectedQuerySet.as_manager()

    class Meta:
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["agency", "kind"], name="enforcement_subject_kind_idx")]

    def __str__(self) -> str:
        # Never a name: __str__ ends up in logs and messages.
        return self.reference

    @property
    def display_name(self) -> str:
        name = " ".join(p for p in [self.given_name, self.family_name] if p)
        if name:
            return name
        if self.aliases:
            return str(self.aliases[0])
        return str(_("Name not known"))


class Contact(models.Model):
    """Someone the unit met in an operation, by role.

    A victim contact always records that information about the agency's designated survivor
    program was given and whether a referral was made or declined (database constraints make
    it impossible to save otherwise). Buyers and exploiters are subjects.
    """

    operation = models.ForeignKey(
        Operation, verbose_name=_("operation"), on_delete=models.PROTECT, related_name="contacts"
    )
    role = models.CharField(_("role"), max_length=20, choices=ContactRole.choices)
    contacted_at = models.DateTimeField(_("when"))
    subject = models.ForeignKey(
        Subject,
        verbose_name=_("subject"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contacts",
    )
    person = models.ForeignKey(
        "survivors.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enforcement_contacts",
        help_text=_("For a victim or witness: the agency's own person record."),
    )
    referral = models.ForeignKey(
        "referrals.Referral",
        verbose_name=_("referral made"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enforcement_contacts",
    )
    program_informed = models.ForeignKey(
        "accounts.Program",
        verbose_name=_("program the person was told about"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    program_info_given = models.BooleanField(
        _("information about the survivor program was given"), default=False
    )
    referral_decision = models.CharField(
        _("referral"), max_length=20, choices=ReferralDecision.choices, blank=True
    )
    notes = EncryptedTextField(_("notes"), max_length=5000, blank=True)
    created_by = models.ForeignKey(
        USER,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = ProtectedQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["operation_id", "contacted_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(role=ContactRole.VICTIM)
                | (
                    Q(program_info_given=True)
                    & Q(program_informed__isnull=False)
                    & Q(referral_decision__in=ReferralDecision.values)
                ),
                name="enforcement_victim_contact_informed",
            ),
            models.CheckConstraint(
                condition=~Q(role__in=[ContactRole.BUYER, ContactRole.EXPLOITER])
                | Q(subject__isnull=False),
                name="enforcement_subject_contact_has_subject",
            ),
            models.CheckConstraint(
                condition=Q(role__in=[ContactRole.BUYER, ContactRole.EXPLOITER])
                | Q(subject__isnull=True),
                name="enforcement_only_subjects_are_subjects",
            ),
            models.CheckConstraint(
                condition=~Q(role__in=[ContactRole.BUYER, ContactRole.EXPLOITER])
                | Q(person__isnull=True),
                name="enforcement_subjects_are_not_survivors",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} #{self.pk}"


class FollowUp(models.Model):
    """One entry of the relationship-building log with a person the unit met."""

    contact = models.ForeignKey(
        Contact, verbose_name=_("contact"), on_delete=models.PROTECT, related_name="follow_ups"
    )
    occurred_on = models.DateField(_("date"))
    kind = models.CharField(_("kind of contact"), max_length=20, choices=FollowUpKind.choices)
    notes = EncryptedTextField(_("notes"), max_length=5000, blank=True)
    created_by = models.ForeignKey(
        USER,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = ProtectedQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["contact_id", "-occurred_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on.isoformat()}"


class Investigation(TimeStampedModel):
    """Groups operations, subjects and people (and later seized property), with status and
    the detectives assigned."""

    agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="enforcement_investigations",
    )
    case_number = models.CharField(_("case number"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=InvestigationStatus.choices,
        default=InvestigationStatus.OPEN,
    )
    opened_on = models.DateField(_("opened"))
    closed_on = models.DateField(_("closed"), null=True, blank=True)
    lead_detective = models.ForeignKey(
        USER, verbose_name=_("lead detective"), on_delete=models.PROTECT, related_name="+"
    )
    detectives = models.ManyToManyField(
        USER, verbose_name=_("assigned detectives"), blank=True, related_name="+"
    )
    operations = models.ManyToManyField(
        Operation, verbose_name=_("operations"), blank=True, related_name="investigations"
    )
    subjects = models.ManyToManyField(
        Subject, verbose_name=_("subjects"), blank=True, related_name="investigations"
    )
    summary = EncryptedTextField(_("summary"), max_length=10000, blank=True)
    created_by = models.ForeignKey(
        USER,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ProtectedQuerySet.as_manager()

    class Meta:
        verbose_name = _("investigation")
        verbose_name_plural = _("investigations")
        ordering = ["-opened_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "case_number"], name="enforcement_investigation_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("opened_on")),
                name="enforcement_investigation_closes_after_open",
            ),
            models.CheckConstraint(
                condition=~Q(status=InvestigationStatus.CLOSED) | Q(closed_on__isnull=False),
                name="enforcement_investigation_closed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_number} {self.title}"


class Arrest(models.Model):
    """The arrest of a subject, in an operation or investigation."""

    subject = models.ForeignKey(
        Subject, verbose_name=_("subject"), on_delete=models.PROTECT, related_name="arrests"
    )
    operation = models.ForeignKey(
        Operation,
        verbose_name=_("operation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="arrests",
    )
    investigation = models.ForeignKey(
        Investigation,
        verbose_name=_("investigation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="arrests",
    )
    arrested_at = models.DateTimeField(_("arrested at"))
    arresting_officer = models.ForeignKey(
        USER, verbose_name=_("arresting officer"), on_delete=models.PROTECT, related_name="+"
    )
    general_area = models.CharField(_("general area"), max_length=120, blank=True)
    created_by = models.ForeignKey(
        USER,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = ProtectedQuerySet.as_manager()

    class Meta:
        verbose_name = _("arrest")
        verbose_name_plural = _("arrests")
        ordering = ["-arrested_at", "-id"]

    def __str__(self) -> str:
        return _("Arrest #%(number)s") % {"number": self.pk}


class Charge(models.Model):
    """A charge from an arrest, citing a statute (e.g. ORS 167.017)."""

    arrest = models.ForeignKey(
        Arrest, verbose_name=_("arrest"), on_delete=models.PROTECT, related_name="charges"
    )
    statute = models.ForeignKey(
        "legislation.Statute",
        verbose_name=_("statute"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enforcement_charges",
    )
    citation = models.CharField(
        _("citation"), max_length=60, help_text=_("As cited, e.g. ORS 167.017.")
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ChargeStatus.choices, default=ChargeStatus.FILED
    )
    charged_on = models.DateField(_("charged on"))
    created_by = models.ForeignKey(
        USER,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = ProtectedQuerySet.as_manager()

    class Meta:
        verbose_name = _("charge")
        verbose_name_plural = _("charges")
        ordering = ["arrest_id", "charged_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(citation=""), name="enforcement_charge_cites_statute"
            ),
        ]

    def __str__(self) -> str:
        return self.citation
