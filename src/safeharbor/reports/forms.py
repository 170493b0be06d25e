"""Filters of the reports: a period and an agency; a fiscal year; a calendar year."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safeharbor.core.forms import Form

__all__ = ["DashboardFilterForm", "PerformanceForm", "default_period", "fiscal_year_bounds"]

LONGEST_PERIOD_DAYS = 366 * 5


def default_period(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The last twelve months, from the first of the month a year ago to today."""
    today = today or timezone.localdate()
    if today.month == 12:
        start = datetime.date(today.year, 1, 1)
    else:
        start = datetime.date(today.year - 1, today.month + 1, 1)
    return start, today


def fiscal_year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    """The federal fiscal year ``year``: 1 October of the year before to 30 September."""
    return datetime.date(year - 1, 10, 1), datetime.date(year, 9, 30)


class DashboardFilterForm(Form):
    start = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"}), required=False
    )
    end = forms.DateField(
        label=_("To"), widget=forms.DateInput(attrs={"type": "date"}), required=False
    )
    agency = forms.ModelChoiceField(
        label=_("Agency"), queryset=None, required=False, empty_label=_("All agencies")
    )

    def __init__(self, *args: Any, choose_agency: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from safeharbor.accounts.models import Agency

        if choose_agency:
            self.fields["agency"].queryset = Agency.objects.filter(is_active=True).order_by("name")
        else:
            del self.fields["agency"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        default_start, default_end = default_period()
        start = data.get("start") or default_start
        end = data.get("end") or default_end
        if start > end:
            raise ValidationError(_("The start of the period must come before its end."))
        if (end - start).days > LONGEST_PERIOD_DAYS:
            raise ValidationError(_("Choose a period of five years or less."))
        data["start"], data["end"] = start, end
        return data


class PerformanceForm(Form):
    fiscal_year = forms.IntegerField(
        label=_("Federal fiscal year"),
        help_text=_("For example 2026: 1 October 2025 to 30 September 2026."),
        min_value=2000,
        max_value=2100,
        required=False,
    )
    agency = forms.ModelChoiceField(
        label=_("Agency"), queryset=None, required=False, empty_label=_("All agencies")
    )

    def __init__(self, *args: Any, choose_agency: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from safeharbor.accounts.models import Agency

        if choose_agency:
            self.fields["agency"].queryset = Agency.objects.filter(is_active=True).order_by("name")
        else:
            del self.fields["agency"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("fiscal_year"):
            today = timezone.localdate()
            data["fiscal_year"] = today.year + 1 if today.month >= 10 else today.year
        return data
