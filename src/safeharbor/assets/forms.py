"""Forms of the seized-property pages. They validate input only; services do the rest.

The seizure form offers buyers and exploiters only (``enforcement.Subject``): the person who
was sold is never a subject, so there is nothing to pick for them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from safeharbor.accounts.models import User
from safeharbor.core.forms import Form
from safeharbor.enforcement.choices import SUBJECT_ROLES
from safeharbor.enforcement.models import Contact, Investigation, Operation, Subject
from safeharbor.funds.models import Fund

from .choices import (
    STEP_STATES,
    AssetKind,
    DispositionMethod,
    ForfeitureState,
    NoticeMethod,
)
from .models import CustodyEvent

DATE = forms.DateInput(attrs={"type": "date"})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def money(label: Any, **extra: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, max_digits=14, decimal_places=2, min_value=Decimal("0"), **extra
    )


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

    def limit_choices(self) -> None:
        """Narrow the choices to the membership's agency."""


class SubjectChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Subject) -> str:
        return f"{obj.reference} ({obj.get_kind_display()})"


class ContactChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Contact) -> str:
        return f"{obj.get_role_display()} #{obj.pk} — {obj.operation.name}"


class SeizureForm(_AgencyForm):
    kind = forms.ChoiceField(label=_("Kind of property"), choices=AssetKind.choices)
    description = forms.CharField(label=_("Description"), max_length=300)
    subject = SubjectChoiceField(
        label=_("Seized from (buyer or exploiter)"),
        queryset=Subject.objects.none(),
        help_text=_(
            "Buyers and exploiters your unit recorded, by reference. Property of a person "
            "who was sold is never seized."
        ),
    )
    investigation = forms.ModelChoiceField(
        label=_("Investigation"), queryset=Investigation.objects.none(), required=False
    )
    operation = forms.ModelChoiceField(
        label=_("Operation"),
        queryset=Operation.objects.none(),
        required=False,
        help_text=_("Give the investigation, the operation, or both."),
    )
    contact = ContactChoiceField(
        label=_("Contact in the operation (optional)"),
        queryset=Contact.objects.none(),
        required=False,
    )
    seized_at = forms.DateTimeField(label=_("Seized at"), widget=DATETIME)
    seized_where = forms.CharField(
        label=_("Where (general area)"),
        max_length=120,
        required=False,
        help_text=_("A neighbourhood or corridor, not an exact address."),
    )
    seized_by = forms.ModelChoiceField(label=_("Seizing officer"), queryset=User.objects.none())
    estimated_value = money(_("Estimated value (dollars)"), required=False)
    vin = forms.CharField(label=_("Vehicle: VIN"), max_length=17, required=False)
    plate = forms.CharField(label=_("Vehicle: licence plate"), max_length=12, required=False)
    make = forms.CharField(label=_("Vehicle: make"), max_length=40, required=False)
    model_name = forms.CharField(label=_("Vehicle: model"), max_length=40, required=False)
    year = forms.IntegerField(label=_("Vehicle: year"), min_value=1900, required=False)
    imei = forms.CharField(label=_("Phone: IMEI"), max_length=17, required=False)
    serial_number = forms.CharField(
        label=_("Computer or other: serial number"), max_length=60, required=False
    )
    cash_amount = money(_("Cash: amount counted (dollars)"), required=False)
    counted_by = forms.ModelChoiceField(
        label=_("Cash: counted by"), queryset=User.objects.none(), required=False
    )
    witnessed_by = forms.ModelChoiceField(
        label=_("Cash: second officer who counted"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Cash is counted by two different officers."),
    )
    lienholders = forms.CharField(
        label=_("Lienholders"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line: name, then a vertical bar and the amount owed if known."),
    )
    custodian = forms.CharField(
        label=_("Handed to (custodian)"), max_length=120, help_text=_("For example: Evidence room")
    )
    location = forms.CharField(label=_("Stored at"), max_length=120)
    seal_number = forms.CharField(label=_("Seal number"), max_length=40, required=False)

    def limit_choices(self) -> None:
        agency_id = self.membership.agency_id
        self.fields["subject"].queryset = Subject.objects.visible_to(self.membership).filter(
            agency_id=agency_id
        )
        self.fields["investigation"].queryset = Investigation.objects.visible_to(
            self.membership
        ).filter(agency_id=agency_id)
        self.fields["operation"].queryset = Operation.objects.visible_to(self.membership).filter(
            agency_id=agency_id
        )
        self.fields["contact"].queryset = Contact.objects.filter(
            operation__agency_id=agency_id, role__in=SUBJECT_ROLES
        ).select_related("operation")
        users = agency_users(agency_id)
        for name in ("seized_by", "counted_by", "witnessed_by"):
            self.fields[name].queryset = users

    def clean_lienholders(self) -> list[tuple[str, Any]]:
        liens = []
        for line in self.cleaned_data["lienholders"].splitlines():
            if not line.strip():
                continue
            name, _sep, owed = line.partition("|")
            owed = owed.strip().replace("$", "").replace(",", "")
            try:
                amount = Decimal(owed) if owed else None
            except ArithmeticError:
                raise ValidationError(_("Write the amount owed as a number.")) from None
            liens.append((name.strip(), amount))
        return liens


class CustodyForm(_AgencyForm):
    to_custodian = forms.CharField(label=_("Handed to"), max_length=120)
    location = forms.CharField(label=_("Location"), max_length=120)
    reason = forms.CharField(label=_("Reason"), max_length=300)
    occurred_at = forms.DateTimeField(label=_("When"), widget=DATETIME)
    seal_number = forms.CharField(label=_("Seal number"), max_length=40, required=False)
    corrects = forms.ModelChoiceField(
        label=_("Corrects an earlier event (optional)"),
        queryset=CustodyEvent.objects.none(),
        required=False,
        help_text=_("Events are never changed; a correction is a new event naming the old one."),
    )

    def __init__(self, *args: Any, asset: Any, **kwargs: Any) -> None:
        self.asset = asset
        super().__init__(*args, **kwargs)

    def limit_choices(self) -> None:
        self.fields["corrects"].queryset = CustodyEvent.objects.filter(asset=self.asset)


class ForfeitureStepForm(Form):
    to_state = forms.ChoiceField(label=_("Next step"), choices=())
    occurred_on = forms.DateField(label=_("Date"), widget=DATE)
    notice_recipients = forms.CharField(
        label=_("Notice: sent to"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The owner and every lienholder, one per line."),
    )
    notice_method = forms.ChoiceField(
        label=_("Notice: how"), choices=[("", "—"), *NoticeMethod.choices], required=False
    )
    claimant = forms.CharField(label=_("Claim: filed by"), max_length=300, required=False)
    court_case_number = forms.CharField(label=_("Court case number"), max_length=60, required=False)
    amount_forfeited = money(_("Settlement of cash: amount forfeited"), required=False)
    notes = forms.CharField(label=_("Notes"), max_length=500, required=False)

    def __init__(self, *args: Any, allowed: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_state"].choices = [
            (s, ForfeitureState(s).label) for s in allowed if s in STEP_STATES
        ]


class DispositionForm(Form):
    method = forms.ChoiceField(label=_("What became of the property"), choices=())
    disposed_on = forms.DateField(label=_("Date"), widget=DATE)
    gross_proceeds = money(
        _("Gross proceeds (dollars)"),
        required=False,
        help_text=_("Sale price. For cash, the amount forfeited is used."),
    )
    towing_costs = money(_("Towing"), required=False)
    storage_costs = money(_("Storage"), required=False)
    auction_costs = money(_("Auction fees"), required=False)
    attorney_commission = money(_("Attorney commission"), required=False)
    lien_paid = money(_("Paid to lienholders"), required=False)
    sold_to = forms.CharField(
        label=_("Sale reference (auction lot, receipt)"), max_length=120, required=False
    )
    notes = forms.CharField(label=_("Notes"), max_length=500, required=False)

    def __init__(self, *args: Any, is_cash: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        methods = [
            (m, label)
            for m, label in DispositionMethod.choices
            if (m == DispositionMethod.CASH_DEPOSITED) == is_cash
        ]
        self.fields["method"].choices = methods
        if is_cash:
            del self.fields["gross_proceeds"], self.fields["lien_paid"], self.fields["sold_to"]


class PhotoForm(Form):
    photo = forms.FileField(
        label=_("Photo"), help_text=_("JPEG, PNG or WebP, up to 10 MB. Stored encrypted.")
    )
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)


class LienholderForm(Form):
    name = forms.CharField(label=_("Lienholder"), max_length=200)
    amount_owed = money(_("Amount owed (dollars)"), required=False)


class PolicyForm(Form):
    fund = forms.ModelChoiceField(
        label=_("Fund for proceeds and held cash"),
        queryset=Fund.objects.filter(is_active=True),
        required=False,
    )
    claim_window_days = forms.IntegerField(
        label=_("Claim window (days after notice)"), min_value=1, max_value=365
    )
    notice_within_days = forms.IntegerField(
        label=_("Notice due (days after seizure)"), min_value=1, max_value=365
    )


class PeriodForm(Form):
    start = forms.DateField(label=_("From"), widget=DATE)
    end = forms.DateField(label=_("To"), widget=DATE)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise ValidationError(_("The period must end on or after its start."))
        return data


class StateFilterForm(Form):
    state = forms.ChoiceField(
        label=_("State"), choices=[("", _("Any")), *ForfeitureState.choices], required=False
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("Any")), *AssetKind.choices], required=False
    )
