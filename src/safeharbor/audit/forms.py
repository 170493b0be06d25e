"""Filters for the auditor's event list and the break-glass review form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from safeharbor.core.forms import Form

from .choices import AuditAction, AuditOutcome


class EventFilterForm(Form):
    """Who, what, which object, when. Every field is optional."""

    actor_id = forms.IntegerField(label=_("Actor id"), required=False, min_value=1)
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("Any action")), *AuditAction.choices]
    )
    object_type = forms.CharField(
        label=_("Object type"),
        required=False,
        max_length=80,
        help_text=_("For example survivors.person"),
    )
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    agency_id = forms.IntegerField(label=_("Agency id"), required=False, min_value=1)
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        required=False,
        choices=[("", _("Any outcome")), *AuditOutcome.choices],
    )
    since = forms.DateField(
        label=_("From (date, UTC)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To (date, UTC, inclusive)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            raise forms.ValidationError(_("The end date must not be before the start date."))
        return data


class BreakGlassReviewForm(Form):
    outcome = forms.ChoiceField(
        label=_("Was the emergency access justified?"),
        choices=[("justified", _("Justified")), ("not_justified", _("Not justified"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note (optional)"), required=False, max_length=1000, widget=forms.Textarea
    )
