"""Staff forms of the legislation area. They only validate input; services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from safeharbor.accounts.models import User
from safeharbor.core.forms import Form, ModelForm
from safeharbor.directory.models import Event

from .choices import ActionClassification, Chamber, Stance
from .models import (
    Bill,
    BillPosition,
    Jurisdiction,
    LegislativeSession,
    Priority,
    Proposal,
    Statute,
    fuzzy_date_validator,
)

DATE_HINT = _("YYYY-MM-DD. If only the month or year is known: YYYY-MM or YYYY.")


class DateInput(forms.DateInput):
    input_type = "date"


def _url_field(label: Any, *, required: bool = False) -> forms.URLField:
    return forms.URLField(label=label, required=required, assume_scheme="https", max_length=500)


class JurisdictionForm(ModelForm):
    url = _url_field(_("Website"))

    class Meta:
        model = Jurisdiction
        fields = ["name", "ocd_id", "kind", "url"]


class SessionForm(ModelForm):
    class Meta:
        model = LegislativeSession
        fields = ["jurisdiction", "identifier", "name", "start_date", "end_date"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}


class StatuteForm(ModelForm):
    link = _url_field(_("Link to the official text"))

    class Meta:
        model = Statute
        fields = ["jurisdiction", "citation", "title_en", "title_es", "link"]
        fields += ["summary_en", "summary_es"]
        labels = {
            "title_en": _("Title (English)"),
            "title_es": _("Title (Spanish)"),
            "summary_en": _("Our summary (English)"),
            "summary_es": _("Our summary (Spanish)"),
        }
        help_texts = {"summary_en": _("In our own plain words; never copy the statute's text.")}
        widgets = {"summary_en": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title_en"].required = True


class BillForm(ModelForm):
    source_url = _url_field(_("Source"))
    subjects_text = forms.CharField(
        label=pgettext_lazy("topics of a bill", "Subjects"),
        required=False,
        help_text=_("Separate subjects with commas."),
    )

    class Meta:
        model = Bill
        fields = ["session", "identifier", "title", "chamber", "classification", "abstract"]
        fields += ["summary_en", "summary_es", "source_url"]
        labels = {
            "summary_en": _("Our summary (English)"),
            "summary_es": _("Our summary (Spanish)"),
        }
        widgets = {"title": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["subjects_text"].initial = ", ".join(self.instance.subjects)
        self.fields["session"].queryset = LegislativeSession.objects.select_related("jurisdiction")

    def service_values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["subjects"] = [s for s in data.pop("subjects_text", "").split(",") if s.strip()]
        return data


class ActionForm(Form):
    date = forms.CharField(
        label=_("Date"), max_length=10, validators=[fuzzy_date_validator], help_text=DATE_HINT
    )
    description = forms.CharField(
        label=_("What happened"), max_length=500, help_text=_("As the legislature wrote it.")
    )
    chamber = forms.ChoiceField(
        label=_("Acting body"), choices=[("", "—"), *Chamber.choices], required=False
    )
    classifications = forms.MultipleChoiceField(
        label=_("Kind of action"),
        choices=ActionClassification.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("These decide the bill's status."),
    )


class PositionForm(ModelForm):
    class Meta:
        model = BillPosition
        fields = ["stance", "priority", "rationale", "owner", "is_public"]
        widgets = {"stance": forms.RadioSelect, "rationale": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stance"].choices = Stance.choices
        self.fields["owner"].queryset = User.objects.filter(
            is_active=True, memberships__is_active=True
        ).distinct()


class NoteForm(Form):
    body = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Internal. Do not name survivors or other private people."),
    )


class PriorityForm(ModelForm):
    class Meta:
        model = Priority
        fields = ["title_en", "title_es", "objective_en", "objective_es", "issue_en"]
        fields += ["issue_es", "session", "bills", "is_public", "order"]
        labels = {
            "title_en": _("Title (English)"),
            "title_es": _("Title (Spanish)"),
            "objective_en": _("Objective (English)"),
            "objective_es": _("Objective (Spanish)"),
            "issue_en": _("Issue statement (English)"),
            "issue_es": _("Issue statement (Spanish)"),
        }
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ("objective_en", "objective_es", "issue_en", "issue_es")
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("title_en", "objective_en", "issue_en"):
            self.fields[name].required = True
        self.fields["bills"].queryset = Bill.objects.select_related("session")


class ProposalForm(ModelForm):
    class Meta:
        model = Proposal
        fields = ["text_en", "text_es", "statutes", "bills", "order"]
        labels = {"text_en": _("Proposal (English)"), "text_es": _("Proposal (Spanish)")}
        widgets = {
            "text_en": forms.Textarea(attrs={"rows": 3}),
            "text_es": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text_en"].required = True
        self.fields["bills"].queryset = Bill.objects.select_related("session")
        self.fields["statutes"].queryset = Statute.objects.select_related("jurisdiction")


class ImportForm(Form):
    file = forms.FileField(
        label=_("Open States or Open Civic Data bill file (JSON)"),
        help_text=_("One bill, a list of bills, or a page from the Open States API."),
    )
    jurisdiction = forms.ModelChoiceField(
        label=_("Jurisdiction"),
        queryset=Jurisdiction.objects.all(),
        required=False,
        help_text=_("Used when the file does not say which jurisdiction its bills belong to."),
    )

    MAX_BYTES = 5 * 1024 * 1024

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload


class AgendaItemForm(Form):
    event = forms.ModelChoiceField(label=_("Event"), queryset=Event.objects.none())
    description_en = forms.CharField(
        label=_("What happens (English)"), max_length=300, required=False
    )
    description_es = forms.CharField(
        label=_("What happens (Spanish)"), max_length=300, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = Event.objects.order_by("-starts_at")
