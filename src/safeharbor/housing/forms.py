"""Forms of the housing pages. They only collect input; services validate and write."""

from __future__ import annotations

import copy
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safeharbor.accounts.models import Agency, User
from safeharbor.core.forms import Form

from .choices import Destination, ProjectType

DATE = forms.DateInput(attrs={"type": "date"})


def money(label: Any, required: bool = True, **extra: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=required, max_digits=10, decimal_places=2, min_value=0, **extra
    )


class ProgramForm(Form):
    project_type = forms.ChoiceField(label=_("Project type"), choices=ProjectType.choices)
    partners = forms.ModelMultipleChoiceField(
        label=_("Partner agencies"),
        queryset=Agency.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    allows_juveniles = forms.BooleanField(
        label=_("This program may house people under 18"), required=False
    )


class PeriodForm(Form):
    start = forms.DateField(label=_("From"), widget=DATE)
    end = forms.DateField(label=_("To"), widget=DATE)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The period must end after it starts."))
        if data.get("start") and data.get("end") and (data["end"] - data["start"]).days > 3660:
            self.add_error("start", _("Choose a period of at most ten years."))
        return data


class PlacementForm(Form):
    """A new placement, with its apartment when it is known."""

    reference = forms.CharField(
        label=_("Reference of your agency's record (e.g. SH-4F7K-92)"), max_length=12
    )
    program = forms.ModelChoiceField(label=_("Housing program"), queryset=None)
    partner_agency = forms.ModelChoiceField(
        label=_("Partner agency working with her"), queryset=None
    )
    partner_caseworker = forms.ModelChoiceField(
        label=_("Partner caseworker"), queryset=None, required=False
    )
    referral_on = forms.DateField(label=_("Referred on"), widget=DATE)
    start_on = forms.DateField(label=_("Project start"), widget=DATE)
    assistance_months = forms.IntegerField(
        label=_("Months of rent help"), min_value=1, max_value=36
    )
    assistance_monthly = money(_("Rent help per month"))
    participant_share = money(_("Her share of the rent per month"), initial=0)
    income_start = money(_("Monthly income at start"), required=False)
    move_in_on = forms.DateField(label=_("Moved in on"), widget=DATE, required=False)
    lease_start_on = forms.DateField(label=_("Lease starts"), widget=DATE, required=False)
    lease_months = forms.IntegerField(
        label=_("Lease term, in months"), required=False, min_value=1, max_value=120
    )
    rent = money(_("Monthly rent"), required=False)
    lease_in_own_name = forms.BooleanField(
        label=_("The lease is in her own name"), required=False, initial=True
    )
    address = forms.CharField(
        label=_("Apartment address (kept confidential)"), max_length=300, required=False
    )
    landlord_name = forms.CharField(
        label=_("Landlord or property manager (kept confidential)"), max_length=200, required=False
    )
    landlord_contact = forms.CharField(label=_("Landlord contact"), max_length=200, required=False)
    bedrooms = forms.IntegerField(
        label=_("Bedrooms"), min_value=0, max_value=20, initial=1, required=False
    )

    def __init__(self, *args: Any, programs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs
        partner_ids = set()
        for program in programs:
            partner_ids |= {a.pk for a in program.partners.all()} | {program.program.agency_id}
        self.fields["partner_agency"].queryset = Agency.objects.filter(pk__in=partner_ids)
        self.fields["partner_caseworker"].queryset = User.objects.filter(
            is_active=True,
            memberships__agency_id__in=partner_ids,
            memberships__is_active=True,
        ).distinct()


class PlacementUpdateForm(Form):
    move_in_on = forms.DateField(label=_("Moved in on"), widget=DATE, required=False)
    lease_start_on = forms.DateField(label=_("Lease starts"), widget=DATE, required=False)
    lease_months = forms.IntegerField(
        label=_("Lease term, in months"), required=False, min_value=1, max_value=120
    )
    rent = money(_("Monthly rent"), required=False)
    assistance_months = forms.IntegerField(
        label=_("Months of rent help"), min_value=1, max_value=36
    )
    assistance_monthly = money(_("Rent help per month"))
    participant_share = money(_("Her share of the rent per month"))
    income_annual = money(_("Monthly income at the yearly assessment"), required=False)
    income_annual_on = forms.DateField(label=_("Yearly assessment on"), widget=DATE, required=False)

    UNIT_FIELDS = ("address", "landlord_name", "landlord_contact", "bedrooms")

    def __init__(self, *args: Any, with_unit: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if with_unit:  # no apartment yet: it can be recorded here
            for name in self.UNIT_FIELDS:
                field = copy.deepcopy(PlacementForm.base_fields[name])
                field.widget.attrs["class"] = "usa-input"
                self.fields[name] = field


class ExitForm(Form):
    exit_on = forms.DateField(label=_("Exit date"), widget=DATE)
    destination = forms.ChoiceField(label=_("Where she went"), choices=Destination.choices)
    income_exit = money(_("Monthly income at exit"), required=False)


class ReturnForm(Form):
    returned_on = forms.DateField(label=_("Homeless again on"), widget=DATE)


class PayForm(Form):
    allocation = forms.ModelChoiceField(label=_("Pay from allocation"), queryset=None)
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE, initial=timezone.localdate)

    def __init__(self, *args: Any, allocations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["allocation"].queryset = allocations
