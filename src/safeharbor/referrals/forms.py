"""Forms of the referral pages. They validate input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safeharbor.accounts.models import Agency, Program
from safeharbor.core.forms import Form
from safeharbor.core.permissions import CASE, IDENTITY, STATISTICAL
from safeharbor.survivors.models import Consent

from .choices import Urgency

CATEGORY_CHOICES = [
    (IDENTITY, _("Identity (names, contact details, date of birth)")),
    (CASE, _("Case and services (including the reason for this referral)")),
    (STATISTICAL, _("Statistical linkage (non-identifying counts)")),
]


class ReferralForm(Form):
    to_program = forms.ModelChoiceField(
        label=_("Refer to program"), queryset=Program.objects.none(), required=False
    )
    to_agency = forms.ModelChoiceField(
        label=_("Or to agency"),
        queryset=Agency.objects.none(),
        required=False,
        help_text=_("When no program fits."),
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    reason = forms.CharField(label=_("Why you are referring"), widget=forms.Textarea)
    categories = forms.MultipleChoiceField(
        label=_("Information the referral shares"),
        choices=CATEGORY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    consent = forms.ModelChoiceField(
        label=_("Consent it relies on"),
        queryset=Consent.objects.none(),
        required=False,
        help_text=_("Leave empty to use any consent in force that covers it."),
    )

    def __init__(self, *args: Any, membership: Any, person: Any, **kwargs: Any) -> None:
        self.membership = membership
        self.person = person
        super().__init__(*args, **kwargs)
        agency_id = membership.agency_id
        self.fields["to_program"].queryset = (
            Program.objects.filter(is_active=True, agency__is_active=True)
            .exclude(agency_id=agency_id)
            .select_related("agency")
        )
        self.fields["to_agency"].queryset = Agency.objects.filter(is_active=True).exclude(
            pk=agency_id
        )
        self.fields["consent"].queryset = Consent.objects.visible_to(membership).filter(
            person=person
        )
        self.fields["consent"].label_from_instance = lambda c: (
            _("Signed %(signed)s, until %(end)s (%(status)s)")
            % {"signed": c.signed_on, "end": c.expires_on, "status": c.get_status_display()}
        )
        # Validate again now that the choices are final (the USWDS mixin validated early).
        self._errors = None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("to_program") and not data.get("to_agency"):
            self.add_error("to_program", _("Choose a program or an agency."))
        return data


class DeclineForm(Form):
    reason = forms.CharField(
        label=_("Why the referral is declined"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
    )


class NoteForm(Form):
    note = forms.CharField(
        label=_("Note (optional)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


def running_programs() -> Any:
    """Programs a police agency can name as its designated survivor program."""
    return Program.objects.filter(is_active=True, agency__is_active=True).select_related("agency")


class ReferralSettingsForm(Form):
    designated_program = forms.ModelChoiceField(
        label=_("Designated survivor program"),
        queryset=Program.objects.none(),
        required=False,
        help_text=_(
            "Police: the program every victim contact is given information about, "
            "e.g. New Options for Women."
        ),
    )
    juvenile_legal_basis = forms.CharField(
        label=_("Legal basis for referring a young person without consent"),
        max_length=300,
        required=False,
        help_text=_("Police and child welfare only, e.g. ORS 419B.005 to 419B.050."),
    )
    legal_basis_access_days = forms.IntegerField(
        label=_("Days a legal-basis referral shares the record"), min_value=1, max_value=365
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["designated_program"].queryset = running_programs()
        self.fields["designated_program"].label_from_instance = lambda p: (
            f"{p.name} ({p.agency.name})"
        )
