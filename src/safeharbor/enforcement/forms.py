"""Forms of the enforcement pages. They validate input only; services do the rest."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safeharbor.accounts.models import User
from safeharbor.core.forms import Form
from safeharbor.legislation.models import Statute
from safeharbor.survivors.models import Person

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
from .models import Operation, Subject

DATE = forms.DateInput(attrs={"type": "date"})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def agency_users(agency_id: int) -> Any:
    return User.objects.filter(
        memberships__agency_id=agency_id, memberships__is_active=True, is_active=True
    ).distinct()


class _AgencyForm(Form):
    """A form whose choices come from the user's own agency."""

    def __init__(self, *args: Any, membership: Any, **kwargs: Any) -> None:
        self.membership = membership
        super().__init__(*args, **kwargs)
        self.limit_choices()
        # The USWDS mixin validated while marking errors, before the choices were narrowed:
        # validate again with the final querysets.
        self._errors = None
        if self.is_bound:
            for name in self.errors:
                if name in self.fields:
                    attrs = self.fields[name].widget.attrs
                    attrs["aria-invalid"] = "true"
                    if "usa-input--error" not in attrs.get("class", ""):
                        attrs["class"] = (attrs.get("class", "") + " usa-input--error").strip()

    def limit_choices(self) -> None:
        """Narrow the choices to the membership's agency."""


class OperationForm(_AgencyForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Type"), choices=OperationKind.choices)
    started_on = forms.DateField(label=_("Date"), widget=DATE)
    ended_on = forms.DateField(label=_("Ended"), widget=DATE, required=False)
    general_area = forms.CharField(
        label=_("General area"),
        max_length=120,
        help_text=_("A neighbourhood, corridor or website, not an exact address."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=OperationStatus.choices)
    lead = forms.ModelChoiceField(label=_("Lead"), queryset=User.objects.none())
    participants = forms.ModelMultipleChoiceField(
        label=_("Participants"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    after_action_summary = forms.CharField(
        label=_("After-action summary"), widget=forms.Textarea, required=False
    )

    def limit_choices(self) -> None:
        users = agency_users(self.membership.agency_id)
        self.fields["lead"].queryset = users
        self.fields["participants"].queryset = users


class ContactForm(_AgencyForm):
    role = forms.ChoiceField(label=_("Role"), choices=ContactRole.choices)
    contacted_at = forms.DateTimeField(label=_("When"), widget=DATETIME)
    subject = forms.ModelChoiceField(
        label=_("Subject (buyers and exploiters)"),
        queryset=Subject.objects.none(),
        required=False,
        help_text=_("Record a new subject first if they are not listed."),
    )
    person = forms.ModelChoiceField(
        label=_("Person (victims and witnesses)"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_(
            "Your agency's record of the person, by reference. Create one in "
            "Survivors and cases first if needed."
        ),
    )
    program_info_given = forms.BooleanField(label="", required=False)
    referral_decision = forms.ChoiceField(
        label=_("Referral (victims)"),
        choices=[("", _("Not a victim contact")), *ReferralDecision.choices],
        required=False,
        help_text=_("Choosing “a referral was made” opens the referral form next."),
    )
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea, required=False)
    # A new person, when the search finds nobody: created with the contact, or not at all.
    new_given_name = forms.CharField(
        label=_("New person: given name"), max_length=100, required=False
    )
    new_family_name = forms.CharField(
        label=_("New person: family name"), max_length=100, required=False
    )
    new_aliases = forms.CharField(
        label=_("New person: street names or aliases"),
        required=False,
        help_text=_("One per line."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    new_dob = forms.DateField(
        label=_("New person: date of birth, if known"), widget=DATE, required=False
    )

    NEW_PERSON_FIELDS = {
        "new_given_name": "given_name",
        "new_family_name": "family_name",
        "new_aliases": "aliases",
        "new_dob": "dob",
    }

    def __init__(
        self,
        *args: Any,
        program: Any = None,
        person_choices: dict[int, str] | None = None,
        allow_new_person: bool = True,
        **kwargs: Any,
    ) -> None:
        self.program = program
        self.person_choices = person_choices
        self.allow_new_person = allow_new_person
        super().__init__(*args, **kwargs)

    def limit_choices(self) -> None:
        program = self.program
        self.fields["subject"].queryset = Subject.objects.visible_to(self.membership).filter(
            agency_id=self.membership.agency_id
        )
        if not self.allow_new_person:  # the role cannot create person records
            for name in self.NEW_PERSON_FIELDS:
                del self.fields[name]
        people = Person.objects.visible_to(self.membership).filter(
            agency_id=self.membership.agency_id
        )
        if self.person_choices is not None:  # a search's matches: {pk: label}
            labels = self.person_choices
            people = people.filter(pk__in=list(labels))
            self.fields["person"].label_from_instance = lambda p: labels.get(p.pk, str(p))
        self.fields["person"].queryset = people
        program_name = program.name if program else _("the designated survivor program")
        self.fields["program_info_given"].label = _(
            "Victims: information about %(program)s was given"
        ) % {"program": program_name}

    def clean_new_aliases(self) -> list[str]:
        return [
            line.strip() for line in self.cleaned_data["new_aliases"].splitlines() if line.strip()
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        named = any(data.get(f) for f in ("new_given_name", "new_family_name", "new_aliases"))
        if data.get("new_dob") and not named:
            self.add_error("new_given_name", _("Give the new person a name or a street name."))
        if named and data.get("person"):
            self.add_error("person", _("Choose a person or record a new one, not both."))
        return data

    def split_new_person(self) -> tuple[dict[str, Any], dict[str, Any] | None]:
        """The contact's values, and the new person's (None when no new person was given)."""
        data = dict(self.cleaned_data)
        person = {target: data.pop(name, None) for name, target in self.NEW_PERSON_FIELDS.items()}
        person = {k: v for k, v in person.items() if v not in (None, "", [])}
        return data, person or None


class SubjectForm(Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SubjectKind.choices)
    given_name = forms.CharField(label=_("Given name"), max_length=100, required=False)
    family_name = forms.CharField(label=_("Family name"), max_length=100, required=False)
    aliases = forms.CharField(
        label=_("Aliases and online handles"),
        required=False,
        help_text=_("One per line."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    dob = forms.DateField(label=_("Date of birth"), widget=DATE, required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)

    def clean_aliases(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["aliases"].splitlines() if line.strip()]


class FollowUpForm(Form):
    occurred_on = forms.DateField(label=_("Date"), widget=DATE)
    kind = forms.ChoiceField(label=_("Kind of contact"), choices=FollowUpKind.choices)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea, required=False)


class ArrestForm(_AgencyForm):
    arrested_at = forms.DateTimeField(label=_("Arrested at"), widget=DATETIME)
    arresting_officer = forms.ModelChoiceField(
        label=_("Arresting officer"), queryset=User.objects.none()
    )
    operation = forms.ModelChoiceField(
        label=_("Operation"), queryset=Operation.objects.none(), required=False
    )
    general_area = forms.CharField(label=_("General area"), max_length=120, required=False)

    def limit_choices(self) -> None:
        self.fields["arresting_officer"].queryset = agency_users(self.membership.agency_id)
        self.fields["operation"].queryset = Operation.objects.visible_to(self.membership).filter(
            agency_id=self.membership.agency_id
        )


class ChargeForm(Form):
    statute = forms.ModelChoiceField(
        label=_("Statute"),
        queryset=Statute.objects.select_related("jurisdiction"),
        required=False,
    )
    citation = forms.CharField(
        label=_("Or the citation as written"),
        max_length=60,
        required=False,
        help_text=_("When the statute is not listed, e.g. ORS 167.017."),
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    charged_on = forms.DateField(label=_("Charged on"), widget=DATE)


class ChargeStatusForm(Form):
    status = forms.ChoiceField(label=_("Status"), choices=ChargeStatus.choices)


class InvestigationForm(_AgencyForm):
    case_number = forms.CharField(label=_("Case number"), max_length=40)
    title = forms.CharField(label=_("Title"), max_length=200)
    opened_on = forms.DateField(label=_("Opened"), widget=DATE)
    lead_detective = forms.ModelChoiceField(label=_("Lead detective"), queryset=User.objects.none())
    detectives = forms.ModelMultipleChoiceField(
        label=_("Assigned detectives"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    operations = forms.ModelMultipleChoiceField(
        label=_("Operations"),
        queryset=Operation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    subjects = forms.ModelMultipleChoiceField(
        label=_("Subjects"),
        queryset=Subject.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea, required=False)

    def limit_choices(self) -> None:
        agency_id = self.membership.agency_id
        users = agency_users(agency_id)
        self.fields["lead_detective"].queryset = users
        self.fields["detectives"].queryset = users
        self.fields["operations"].queryset = Operation.objects.visible_to(self.membership).filter(
            agency_id=agency_id
        )
        self.fields["subjects"].queryset = Subject.objects.visible_to(self.membership).filter(
            agency_id=agency_id
        )


class InvestigationStatusForm(Form):
    status = forms.ChoiceField(label=_("Status"), choices=InvestigationStatus.choices)
    closed_on = forms.DateField(label=_("Closed on"), widget=DATE, required=False)


class UnitMemberForm(_AgencyForm):
    user = forms.ModelChoiceField(label=_("Colleague"), queryset=User.objects.none())
    rank = forms.ChoiceField(label=_("Rank"), choices=Rank.choices)
    badge_number = forms.CharField(label=_("Badge number"), max_length=20, required=False)
    joined_on = forms.DateField(label=_("Joined the unit"), widget=DATE, required=False)

    def limit_choices(self) -> None:
        self.fields["user"].queryset = agency_users(self.membership.agency_id)


class PeriodForm(Form):
    start = forms.DateField(label=_("From"), widget=DATE, required=False)
    end = forms.DateField(label=_("To"), widget=DATE, required=False)
