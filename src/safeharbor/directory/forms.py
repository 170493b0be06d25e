"""Forms: the public resource search, and the staff editing forms for events and the
directory. Staff forms show one field per language for translatable text."""

from __future__ import annotations

import copy
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from safeharbor.core.forms import Form, ModelForm

from . import selectors


def language_label(code: str, fallback: str = "") -> str:
    """A language's name in the visitor's language (Django knows most of them)."""
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return fallback or code


class ResourceSearchForm(Form):
    """The resources page's filters. A GET form: no cookie, no CSRF token needed."""

    AVAILABILITY_CHOICES = [
        ("", _("Any time")),
        ("now", _("Open now")),
        ("24h", _("Open 24 hours")),
    ]

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    need = forms.ChoiceField(label=_("What do you need help with?"), required=False)
    language = forms.ChoiceField(label=_("Language spoken"), required=False)
    age = forms.IntegerField(
        label=_("Age of the person who needs help"),
        required=False,
        min_value=0,
        max_value=120,
        help_text=_("Optional. Some services are only for young people or only for adults."),
    )
    availability = forms.ChoiceField(
        label=_("When"),
        required=False,
        choices=AVAILABILITY_CHOICES,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Choices come from the directory; set them before the base class validates (the
        # USWDS mixin looks at errors while it builds the widgets).
        fields = copy.deepcopy(type(self).base_fields)
        fields["need"].choices = [("", _("Any need"))] + [
            (term.code, term.name) for term in selectors.need_terms()
        ]
        fields["language"].choices = [("", _("Any language"))] + [
            (code, language_label(code, name)) for code, name in selectors.service_languages()
        ]
        self.base_fields = fields
        super().__init__(*args, **kwargs)

    def to_filter(self) -> selectors.ResourceFilter:
        data = self.cleaned_data
        return selectors.ResourceFilter(
            query=(data.get("q") or "").strip(),
            need=data.get("need") or "",
            language=data.get("language") or "",
            age=data.get("age"),
            availability=data.get("availability") or "",
        )


def site_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def _expand(model: type, fields: tuple[str, ...]) -> list[str]:
    """Replaces each translatable field with one field per site language."""
    from .services import translatable_fields

    translated = translatable_fields(model)
    result: list[str] = []
    for name in fields:
        if name in translated:
            result += [f"{name}_{code}" for code in site_languages()]
        else:
            result.append(name)
    return result


def staff_form_for(model: type, fields: tuple[str, ...]) -> type[ModelForm]:
    """A staff ModelForm for ``model``: one input per language for translatable text, date
    and time pickers that work without JavaScript. Saving goes through the services."""
    names = _expand(model, fields)
    widgets: dict[str, Any] = {}
    for name in names:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:  # only real model fields get widgets
            continue
        if field.get_internal_type() == "DateTimeField":
            widgets[name] = forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            )
        elif field.get_internal_type() == "TimeField":
            widgets[name] = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
        elif field.get_internal_type() == "TextField":
            widgets[name] = forms.Textarea(attrs={"rows": 3})
        elif field.get_internal_type() == "ManyToManyField":
            widgets[name] = forms.CheckboxSelectMultiple
    meta = type("Meta", (), {"model": model, "fields": names, "widgets": widgets})
    form_class = type(f"{model.__name__}StaffForm", (ModelForm,), {"Meta": meta})
    for name in names:
        base, _sep, code = name.rpartition("_")
        if code in site_languages() and base:
            label = language_label(code, code)
            field = form_class.base_fields.get(name)
            if field is not None:
                field.label = f"{field.label} ({label})"
                field.required = field.required and code == "en"
    return form_class
