"""Forms of the staff pages. They validate input; the services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safeharbor.accounts.models import Agency, Program, User
from safeharbor.core.forms import Form

from .choices import (
    AgeBand,
    CaseCloseReason,
    ConsentPurpose,
    ContactMethod,
    DataCategory,
    EstimateBasis,
    IdentificationBasis,
    IdentificationStatus,
    ServiceStatus,
    ServiceType,
    Sex,
    SignerRole,
    TraffickingType,
)
from .screening import ANSWERS, items_of

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
ANSWER_LABELS = {"yes": _("Yes"), "no": _("No"), "unknown": _("Not known")}
MAX_SIGNERS = 3


def _datetime_widget() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _lines(text: str) -> list[str]:
    """One value per line (``;`` also separates, as in the import file)."""
    values = []
    for line in (text or "").replace(";", "\n").splitlines():
        if line.strip():
            values.append(line.strip())
    return values


class ListField(forms.CharField):
    """A textarea holding one value per line."""

    widget = forms.Textarea(attrs={"rows": 2})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return "\n".join(str(v) for v in value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        return _lines(super().to_python(value))


def _revalidate(form: Any) -> None:
    """The USWDS mixin validates while marking errors in ``__init__``; forms that add fields
    or narrow querysets afterwards must validate again with their final fields."""
    form._errors = None
    if form.is_bound:
        for name in form.errors:
            if name in form.fields:
                widget = form.fields[name].widget
                widget.attrs["aria-invalid"] = "true"


class PersonSearchForm(Form):
    q = forms.CharField(
        label=_("Name, alias, reference, date of birth or phone"), required=False, max_length=100
    )
    age_band = forms.ChoiceField(
        label=_("Age"), required=False, choices=[("", _("Any age")), *AgeBand.choices]
    )
    identification_status = forms.ChoiceField(
        label=_("Identification"),
        required=False,
        choices=[("", _("Any")), *IdentificationStatus.choices],
    )
    open_case = forms.ChoiceField(
        label=_("Case"),
        required=False,
        choices=[("", _("Any")), ("yes", _("Has an open case")), ("no", _("No open case"))],
    )
    mine = forms.BooleanField(label=_("Only people assigned to me"), required=False)


class PersonForm(Form):
    """Identity, contact and custody details of a person."""

    given_name = forms.CharField(label=_("Given name"), max_length=100, required=False)
    family_name = forms.CharField(label=_("Family name"), max_length=100, required=False)
    aliases = ListField(
        label=_("Aliases and street names"),
        required=False,
        help_text=_("One per line."),
    )
    dob = forms.DateField(label=_("Date of birth"), required=False, widget=DATE)
    estimated_age = forms.IntegerField(
        label=_("Estimated age, if the date of birth is not known"),
        required=False,
        min_value=0,
        max_value=120,
    )
    estimated_age_basis = forms.ChoiceField(
        label=_("How the age was estimated"),
        required=False,
        choices=[("", "—"), *EstimateBasis.choices],
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    gender_identity = forms.CharField(
        label=_("Gender identity, in their words"), max_length=100, required=False
    )
    phones = ListField(label=_("Phone numbers"), required=False, help_text=_("One per line."))
    emails = ListField(label=_("Email addresses"), required=False, help_text=_("One per line."))
    contact_methods = forms.MultipleChoiceField(
        label=_("How we may contact them"),
        required=False,
        choices=ContactMethod.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    leave_message = forms.BooleanField(label=_("We may leave a message"), required=False)
    safe_times = forms.CharField(label=_("Safe times to contact"), max_length=200, required=False)
    code_word = forms.CharField(
        label=_("Code word"),
        max_length=100,
        required=False,
        help_text=_("If they use it, they cannot talk safely right now."),
    )
    address = forms.CharField(label=_("Last known address"), max_length=200, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=20, required=False)
    area = forms.CharField(label=_("Last known area"), max_length=100, required=False)
    county = forms.CharField(label=_("County"), max_length=60, required=False)
    languages = ListField(label=_("Languages"), required=False, help_text=_("One per line."))
    abusers = ListField(
        label=_("People recorded as harming this person"),
        required=False,
        help_text=_("One name per line. They can never sign a consent for this person."),
    )
    in_state_custody = forms.BooleanField(label=_("In state custody"), required=False)
    custodial_agency = forms.ModelChoiceField(
        label=_("Custodial agency"), queryset=Agency.objects.filter(is_active=True), required=False
    )
    emancipated = forms.BooleanField(label=_("Emancipated minor"), required=False)

    SAFE_CONTACT = ("contact_methods", "leave_message", "safe_times", "code_word")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("custodial_agency") and not data.get("in_state_custody"):
            self.add_error("in_state_custody", _("Tick this when there is a custodial agency."))
        return data

    def to_values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["safe_contact"] = {
            "methods": data.pop("contact_methods"),
            "leave_message": data.pop("leave_message"),
            "safe_times": data.pop("safe_times"),
            "code_word": data.pop("code_word"),
        }
        return data

    @classmethod
    def initial_from(cls, person: Any) -> dict[str, Any]:
        initial = {name: getattr(person, name) for name in cls.base_fields if hasattr(person, name)}
        safe = person.safe_contact or {}
        initial.update(
            contact_methods=safe.get("methods", []),
            leave_message=safe.get("leave_message", False),
            safe_times=safe.get("safe_times", ""),
            code_word=safe.get("code_word", ""),
        )
        return initial


class IdentificationForm(Form):
    status = forms.ChoiceField(label=_("Status"), choices=IdentificationStatus.choices)
    identified_on = forms.DateField(label=_("Date"), widget=DATE)
    basis = forms.ChoiceField(label=_("Basis"), choices=IdentificationBasis.choices)
    trafficking_type = forms.ChoiceField(
        label=_("Type of trafficking"),
        choices=TraffickingType.choices,
        initial=TraffickingType.UNKNOWN,
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class IdentificationStatusForm(Form):
    status = forms.ChoiceField(label=_("New status"), choices=IdentificationStatus.choices)
    changed_on = forms.DateField(label=_("Date"), widget=DATE)
    trafficking_type = forms.ChoiceField(
        label=_("Type of trafficking"),
        choices=[("", _("Unchanged")), *TraffickingType.choices],
        required=False,
    )
    note = forms.CharField(
        label=_("Why"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ScreeningForm(Form):
    """One yes / no / not known question per item of the instrument, grouped by domain."""

    screened_on = forms.DateField(label=_("Date of the screening"), widget=DATE)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, definition: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.definition = definition
        for item in items_of(definition):
            self.fields[f"item_{item['key']}"] = forms.ChoiceField(
                label=item["text"],
                choices=[(a, ANSWER_LABELS[a]) for a in ANSWERS],
                initial="unknown",
                required=False,  # an item left unanswered counts as not known
                widget=forms.RadioSelect,
            )
        _revalidate(self)

    def domains(self) -> list[dict[str, Any]]:
        return [
            {
                "label": domain["label"],
                "fields": [self[f"item_{item['key']}"] for item in domain["items"]],
            }
            for domain in self.definition["domains"]
        ]

    def answers(self) -> dict[str, str]:
        return {
            name.removeprefix("item_"): value or "unknown"
            for name, value in self.cleaned_data.items()
            if name.startswith("item_")
        }


class CaseForm(Form):
    opened_on = forms.DateField(label=_("Opened on"), widget=DATE)
    assigned_to = forms.ModelChoiceField(
        label=_("Assigned worker"), queryset=User.objects.none(), required=False
    )
    needs = forms.CharField(
        label=_("Needs"), required=False, max_length=4000, widget=forms.Textarea
    )
    goals = forms.CharField(
        label=_("Goals"), required=False, max_length=4000, widget=forms.Textarea
    )
    safety_plan = forms.CharField(
        label=_("Safety plan"), required=False, max_length=4000, widget=forms.Textarea
    )

    def __init__(self, *args: Any, agency_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = User.objects.filter(
            memberships__agency_id=agency_id, memberships__is_active=True, is_active=True
        ).distinct()
        _revalidate(self)


class CaseEditForm(CaseForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["opened_on"]
        _revalidate(self)


class ServiceForm(Form):
    service_type = forms.ChoiceField(label=_("Service"), choices=ServiceType.choices)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(ServiceStatus.PLANNED, _("Planned")), (ServiceStatus.DELIVERED, _("Delivered"))],
    )
    planned_on = forms.DateField(label=_("Planned for"), required=False, widget=DATE)
    delivered_on = forms.DateField(label=_("Delivered on"), required=False, widget=DATE)
    provider = forms.ModelChoiceField(
        label=_("Provided by program"),
        queryset=Program.objects.filter(is_active=True).select_related("agency"),
        required=False,
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ServiceDeliveredForm(Form):
    delivered_on = forms.DateField(label=_("Delivered on"), widget=DATE)


class NoteForm(Form):
    body = forms.CharField(label=_("New note"), max_length=8000, widget=forms.Textarea)


class CloseRequestForm(Form):
    reason = forms.ChoiceField(label=_("Reason for closing"), choices=CaseCloseReason.choices)
    note = forms.CharField(
        label=_("Closing note"), required=False, max_length=2000, widget=forms.Textarea
    )


class ConsentForm(Form):
    """Recipients, data, purpose, dates and up to three signers."""

    recipient_agencies = forms.ModelMultipleChoiceField(
        label=_("Agencies that may receive it"),
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    recipient_programs = forms.ModelMultipleChoiceField(
        label=_("Programs that may receive it"),
        queryset=Program.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    categories = forms.MultipleChoiceField(
        label=_("What may be shared"),
        choices=DataCategory.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ConsentPurpose.choices)
    purpose_detail = forms.CharField(label=_("Purpose, in words"), required=False, max_length=300)
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE)
    expires_on = forms.DateField(
        label=_("Expires on"), widget=DATE, help_text=_("At most one year after signing.")
    )

    signed_form = forms.FileField(
        label=_("Signed form (PDF, PNG or JPEG)"),
        required=False,
        help_text=_("A scan or photo of the signed consent form. It is stored encrypted."),
    )

    def __init__(self, *args: Any, agency_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipient_agencies"].queryset = Agency.objects.filter(is_active=True).exclude(
            pk=agency_id
        )
        self.fields["recipient_programs"].queryset = (
            Program.objects.filter(is_active=True)
            .exclude(agency_id=agency_id)
            .select_related("agency")
        )
        for n in range(1, MAX_SIGNERS + 1):
            self.fields[f"signer{n}_role"] = forms.ChoiceField(
                label=_("Signer %(n)d signs as") % {"n": n},
                choices=[("", "—"), *SignerRole.choices],
                required=n == 1,
                initial=SignerRole.PERSON if n == 1 else "",
            )
            self.fields[f"signer{n}_name"] = forms.CharField(
                label=_("Signer %(n)d name") % {"n": n}, max_length=200, required=n == 1
            )
            self.fields[f"signer{n}_relationship"] = forms.CharField(
                label=_("Signer %(n)d relationship to the person") % {"n": n},
                max_length=100,
                required=False,
            )
        _revalidate(self)

    def signers(self) -> list[tuple[str, str, str]]:
        result = []
        for n in range(1, MAX_SIGNERS + 1):
            role = self.cleaned_data.get(f"signer{n}_role")
            name = self.cleaned_data.get(f"signer{n}_name", "")
            if role or name:
                result.append(
                    (role or "", name, self.cleaned_data.get(f"signer{n}_relationship", ""))
                )
        return result


class RevokeForm(Form):
    note = forms.CharField(
        label=_("Note (optional)"), required=False, max_length=1000, widget=forms.Textarea
    )


class MissingForm(Form):
    learned_at = forms.DateTimeField(
        label=_("When we learned they were missing"),
        input_formats=DATETIME_FORMATS,
        widget=_datetime_widget(),
        help_text=_("The 24-hour clock for the police and NCMEC reports starts here."),
    )
    last_seen_at = forms.DateTimeField(
        label=_("Last seen"),
        input_formats=DATETIME_FORMATS,
        widget=_datetime_widget(),
        required=False,
    )
    circumstances = forms.CharField(
        label=_("Circumstances"), required=False, max_length=4000, widget=forms.Textarea
    )


class ReportForm(Form):
    reported_at = forms.DateTimeField(
        label=_("Reported at"), input_formats=DATETIME_FORMATS, widget=_datetime_widget()
    )
    number = forms.CharField(label=_("Report or case number"), max_length=40, required=False)


class ReturnForm(Form):
    returned_at = forms.DateTimeField(
        label=_("Returned or found at"), input_formats=DATETIME_FORMATS, widget=_datetime_widget()
    )


class ImportForm(Form):
    file = forms.FileField(label=_("CSV file"), help_text=_("UTF-8, with the documented columns."))
    dry_run = forms.BooleanField(
        label=_("Only check the file; import nothing"), required=False, initial=True
    )


class InstrumentForm(Form):
    slug = forms.SlugField(label=_("Short name"), max_length=60)
    name = forms.CharField(label=_("Name"), max_length=200)
    definition = forms.JSONField(
        label=_("Definition (JSON)"),
        widget=forms.Textarea(attrs={"rows": 20}),
        help_text=_("Domains with items and weights, and the three score bands."),
    )
