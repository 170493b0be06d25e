"""Forms of the linkage pages: the count filter and starting a run."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safeharbor.core.forms import Form

from .choices import StatusFilter
from .selectors import CountFilter


class CountFilterForm(Form):
    """Which identifications to count (a GET form: the page works without JavaScript)."""

    juveniles = forms.BooleanField(
        label=_("Only people under 18 when identified"), required=False, initial=True
    )
    status = forms.ChoiceField(
        label=_("Identification"),
        choices=StatusFilter.choices,
        initial=StatusFilter.SUSPECTED_OR_CONFIRMED,
    )
    year = forms.IntegerField(
        label=_("Year identified"),
        required=False,
        min_value=1900,
        max_value=2100,
        help_text=_("Leave empty for every year, or give a start and end date instead."),
    )
    start = forms.DateField(label=_("Identified on or after (YYYY-MM-DD)"), required=False)
    end = forms.DateField(label=_("Identified on or before (YYYY-MM-DD)"), required=False)
    agencies = forms.ModelMultipleChoiceField(
        label=_("Agencies (none chosen: every agency)"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from safeharbor.accounts.models import Agency

        self.fields["agencies"].queryset = Agency.objects.filter(is_active=True).order_by("name")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("The end date is before the start date."))
        if data.get("year") and (start or end):
            self.add_error("year", _("Give a year or dates, not both."))
        return data

    def count_filter(self) -> CountFilter:
        data = self.cleaned_data
        start: datetime.date | None = data.get("start")
        end: datetime.date | None = data.get("end")
        if data.get("year"):
            start, end = datetime.date(data["year"], 1, 1), datetime.date(data["year"], 12, 31)
        return CountFilter(
            juveniles=bool(data.get("juveniles")),
            status=data.get("status") or StatusFilter.SUSPECTED_OR_CONFIRMED,
            start=start,
            end=end,
            agency_ids=tuple(sorted(a.pk for a in data.get("agencies") or [])),
        )


class StartRunForm(Form):
    retrain = forms.BooleanField(
        label=_("Retrain the model on the current records"),
        required=False,
        help_text=_(
            "Otherwise the saved model is used. Retraining takes longer and needs at least "
            "a few thousand records to learn from."
        ),
    )
