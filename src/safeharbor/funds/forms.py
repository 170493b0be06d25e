"""Forms of the fund's staff pages. They only validate input; services do the posting."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safeharbor.accounts.models import Program
from safeharbor.core.forms import Form

from .choices import EntryKind, PropertyKind
from .models import DistributionShare, FiscalYear, Fund

# Seizures recorded here until the seized-property area posts with its own source type.
SEIZURE_SOURCE = "funds.seizure"


class DateInput(forms.DateInput):
    input_type = "date"


def _money(label: Any, *, required: bool = True, minimum: str = "0.01", **extra: Any):
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=Decimal(minimum),
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
        max_digits=14,
        decimal_places=2,
        **extra,
    )


class FundScopedForm(Form):
    """A form whose choices depend on the fund. The choices are set before validation, since
    the USWDS mixin validates a bound form while it is being built."""

    def __init__(self, *args: Any, fund: Fund, **kwargs: Any) -> None:
        self.fund = fund
        super().__init__(*args, **kwargs)
        self.limit_choices()

    def limit_choices(self) -> None:
        raise NotImplementedError

    def choose_from(self, name: str, queryset: Any) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = queryset

    def full_clean(self) -> None:
        self.limit_choices()
        super().full_clean()


class ReceiptForm(Form):
    received_on = forms.DateField(label=_("Date received"), widget=DateInput)
    property_kind = forms.ChoiceField(label=_("Kind of property"), choices=PropertyKind.choices)
    description = forms.CharField(
        label=_("Description"),
        max_length=300,
        help_text=_("For example: 2014 sedan sold at auction. No names of people."),
    )
    case_reference = forms.CharField(
        label=_("Court or case number"), max_length=100, required=False
    )
    gross_amount = _money(_("Gross proceeds"))
    case_costs = _money(
        _("Case costs"),
        required=False,
        minimum="0.00",
        help_text=_("Towing, storage, auction fees and attorney commission, paid first."),
    )
    from_held_cash = forms.BooleanField(
        label=_("This is seized cash already held in custody, now forfeited"), required=False
    )
    seizure_reference = forms.CharField(
        label=_("Seizure or property number"),
        max_length=64,
        required=False,
        help_text=_("Needed for forfeited held cash: the number it was taken in under."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate()

    def clean_case_costs(self) -> Decimal:
        return self.cleaned_data.get("case_costs") or Decimal("0.00")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("from_held_cash") and not data.get("seizure_reference"):
            self.add_error("seizure_reference", _("Give the number the cash was held under."))
        return data

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        reference = data.pop("seizure_reference", "")
        if reference:
            data.update(source_type=SEIZURE_SOURCE, source_id=reference)
        return data


class AllocationForm(FundScopedForm):
    program = forms.ModelChoiceField(label=_("Program"), queryset=Program.objects.none())
    share = forms.ModelChoiceField(label=_("From share"), queryset=DistributionShare.objects.none())
    purpose = forms.CharField(label=_("Purpose"), max_length=300)
    amount = _money(_("Amount"))
    allocated_on = forms.DateField(label=_("Date"), widget=DateInput)

    def limit_choices(self) -> None:
        self.choose_from("program", Program.objects.filter(is_active=True).select_related("agency"))
        self.choose_from("share", DistributionShare.objects.filter(fund=self.fund, is_active=True))
        self.fields["allocated_on"].initial = timezone.localdate()


class PaymentForm(Form):
    amount = _money(_("Amount"))
    payee = forms.CharField(
        label=_("Paid to"),
        max_length=200,
        help_text=_("The provider or landlord, never a survivor's name."),
    )
    reference = forms.CharField(label=_("Invoice or check number"), max_length=100, required=False)
    paid_on = forms.DateField(label=_("Date paid"), widget=DateInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["paid_on"].initial = timezone.localdate()


class ReverseForm(Form):
    reason = forms.CharField(label=_("Why is this entry being reversed?"), max_length=200)
    reversed_on = forms.DateField(label=_("Date of the reversal"), widget=DateInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reversed_on"].initial = timezone.localdate()


class FiscalYearForm(Form):
    name = forms.CharField(label=_("Name"), max_length=40, help_text=_("For example: FY 2026-27"))
    starts_on = forms.DateField(label=_("Starts"), widget=DateInput)
    ends_on = forms.DateField(label=_("Ends"), widget=DateInput)


class JournalFilterForm(FundScopedForm):
    fiscal_year = forms.ModelChoiceField(
        label=_("Fiscal year"), queryset=FiscalYear.objects.none(), required=False
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("Any")), *EntryKind.choices], required=False
    )

    def limit_choices(self) -> None:
        self.choose_from("fiscal_year", FiscalYear.objects.filter(fund=self.fund))


class PeriodForm(Form):
    start = forms.DateField(label=_("From"), widget=DateInput)
    end = forms.DateField(label=_("To"), widget=DateInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("The period must end on or after its start."))
        return data


class AnnualReportForm(FundScopedForm):
    year = forms.ModelChoiceField(label=_("Fiscal year"), queryset=FiscalYear.objects.none())

    def limit_choices(self) -> None:
        self.choose_from("year", FiscalYear.objects.filter(fund=self.fund))


class SharesForm(FundScopedForm):
    """One percentage per active share of the fund."""

    def limit_choices(self) -> None:
        for share in DistributionShare.objects.filter(fund=self.fund, is_active=True):
            name = f"share_{share.pk}"
            if name not in self.fields:
                self.fields[name] = forms.DecimalField(
                    label=share.name,
                    max_digits=5,
                    decimal_places=2,
                    min_value=Decimal("0.01"),
                    max_value=Decimal("100"),
                    initial=share.percent,
                    widget=forms.NumberInput(attrs={"step": "0.01", "class": "usa-input"}),
                )

    def percents(self) -> dict[int, Decimal]:
        return {
            int(name.removeprefix("share_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("share_")
        }


class HeldCashForm(Form):
    """Seized cash taken into custody, or returned on a court's order."""

    seizure_reference = forms.CharField(
        label=_("Seizure or property number"),
        max_length=64,
        help_text=_("The number on the property record; forfeiture and return use it too."),
    )
    amount = _money(_("Amount"))
    on = forms.DateField(label=_("Date"), widget=DateInput)
    description = forms.CharField(
        label=_("Description"),
        max_length=300,
        help_text=_("For example: cash counted by two officers. No names of people."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
