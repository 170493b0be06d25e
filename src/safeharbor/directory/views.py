"""Staff pages for editors: events and the directory (organizations, services, locations,
phones, schedules, languages, terms). Thin: forms validate, services write and audit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safeharbor.core.http import StaffRequest

from . import services
from .forms import staff_form_for
from .models import (
    Event,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    Taxonomy,
    TaxonomyTerm,
)


@dataclass(frozen=True)
class Kind:
    """One kind of object editors manage here."""

    slug: str
    model: type[models.Model]
    label: Any
    label_plural: Any
    fields: tuple[str, ...]


KINDS: dict[str, Kind] = {
    kind.slug: kind
    for kind in [
        Kind(
            "events",
            Event,
            gettext_lazy("event"),
            gettext_lazy("Events"),
            (
                "kind",
                "title",
                "description",
                "starts_at",
                "ends_at",
                "all_day",
                "time_zone",
                "place",
                "location",
                "online_url",
                "status",
                "is_public",
                "participants",
            ),
        ),
        Kind(
            "services",
            Service,
            gettext_lazy("service"),
            gettext_lazy("Services"),
            (
                "organization",
                "program",
                "name",
                "description",
                "status",
                "is_hotline",
                "terms",
                "eligibility_description",
                "minimum_age",
                "maximum_age",
                "application_process",
                "fees_description",
                "interpretation_services",
                "alert",
                "url",
                "email",
            ),
        ),
        Kind(
            "organizations",
            Organization,
            gettext_lazy("organization"),
            gettext_lazy("Organizations"),
            ("name", "alternate_name", "description", "email", "website", "agency"),
        ),
        Kind(
            "locations",
            Location,
            gettext_lazy("location"),
            gettext_lazy("Locations"),
            (
                "organization",
                "name",
                "location_type",
                "is_confidential",
                "description",
                "address_1",
                "address_2",
                "city",
                "state_province",
                "postal_code",
                "transportation",
                "url",
            ),
        ),
        Kind(
            "phones",
            Phone,
            gettext_lazy("phone"),
            gettext_lazy("Phones"),
            ("service", "organization", "location", "number", "extension", "type", "description"),
        ),
        Kind(
            "schedules",
            Schedule,
            gettext_lazy("schedule"),
            gettext_lazy("Opening hours"),
            (
                "service",
                "location",
                "open_24_hours",
                "byday",
                "opens_at",
                "closes_at",
                "description",
            ),
        ),
        Kind(
            "languages",
            Language,
            gettext_lazy("language"),
            gettext_lazy("Languages"),
            ("service", "location", "code", "name", "note"),
        ),
        Kind(
            "terms",
            TaxonomyTerm,
            gettext_lazy("need"),
            gettext_lazy("Needs (taxonomy terms)"),
            ("taxonomy", "code", "name", "description", "parent"),
        ),
        Kind(
            "taxonomies",
            Taxonomy,
            gettext_lazy("taxonomy"),
            gettext_lazy("Taxonomies"),
            ("name", "description", "uri", "version"),
        ),
    ]
}


def _kind(slug: str) -> Kind:
    if slug not in KINDS:
        raise Http404
    return KINDS[slug]


def _require(request: StaffRequest, kind: Kind, action: str) -> None:
    membership = request.membership
    code = f"directory.{kind.model._meta.model_name}.{action}"
    if membership is None or not membership.has_perm(code):
        raise PermissionDenied


def _may(request: StaffRequest, kind: Kind, action: str) -> bool:
    try:
        _require(request, kind, action)
    except PermissionDenied:
        return False
    return True


@login_required
def home(request: StaffRequest) -> HttpResponse:
    """Counts and recent events; links to every list."""
    _require(request, KINDS["services"], "view")
    now = timezone.now()
    return render(
        request,
        "directory/staff/home.html",
        {
            "kinds": [(k, k.model._default_manager.count()) for k in KINDS.values()],
            "upcoming": Event.objects.upcoming(now).select_related("location")[:10],
            "may_add_event": _may(request, KINDS["events"], "add"),
        },
    )


@login_required
def object_list(request: StaffRequest, kind: str) -> HttpResponse:
    spec = _kind(kind)
    _require(request, spec, "view")
    objects = spec.model._default_manager.all()
    if spec.model is Event:
        objects = objects.order_by("-starts_at", "-id")
    return render(
        request,
        "directory/staff/list.html",
        {
            "kind": spec,
            "objects": objects[:500],
            "may_add": _may(request, spec, "add"),
        },
    )


def _split(form: Any, kind: Kind) -> tuple[dict[str, Any], dict[str, dict[str, str]], Any]:
    """Form data -> (English/plain values, other languages, terms or None)."""
    translated = services.translatable_fields(kind.model)
    default = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    values: dict[str, Any] = {}
    translations: dict[str, dict[str, str]] = {}
    terms = None
    for name, value in form.cleaned_data.items():
        if name == "terms":
            terms = list(value)
            continue
        base, _sep, language = name.rpartition("_")
        if base in translated and language in {c for c, _n in settings.LANGUAGES}:
            if language == default:
                values[base] = value
            else:
                translations.setdefault(language, {})[base] = value or ""
            continue
        if name in ("starts_at", "ends_at") and value is not None:
            # Wall-clock times, read in the event's own time zone by the service.
            value = timezone.make_naive(value)
        values[name] = value
    return values, translations, terms


@login_required
def object_edit(request: StaffRequest, kind: str, pk: str | None = None) -> HttpResponse:
    spec = _kind(kind)
    instance = None
    if pk is not None:
        _require(request, spec, "change")
        instance = get_object_or_404(spec.model, pk=pk)
    else:
        _require(request, spec, "add")
    form_class = staff_form_for(spec.model, spec.fields)
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        values, translations, terms = _split(form, spec)
        try:
            if spec.model is Event:
                if instance is None:
                    saved = services.event_create(
                        actor=request.user, translations=translations, **values
                    )
                else:
                    saved = services.event_update(
                        actor=request.user,
                        event=instance,
                        changes=values,
                        translations=translations,
                    )
            elif instance is None:
                saved = services.directory_object_create(
                    actor=request.user,
                    model=spec.model,
                    values=values,
                    terms=terms,
                    translations=translations,
                )
            else:
                saved = services.directory_object_update(
                    actor=request.user,
                    obj=instance,
                    changes=values,
                    terms=terms,
                    translations=translations,
                )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    target = field if field in form.fields else None
                    if (
                        field in ("title", "name", "description", "place")
                        and f"{field}_en" in form.fields
                    ):
                        target = f"{field}_en"
                    for message in errors:
                        form.add_error(target, message)
            else:
                for message in error.messages:
                    form.add_error(None, message)
        else:
            messages.success(request, _("Saved: %(name)s") % {"name": saved})
            return redirect("directory:list", kind=spec.slug)
    title = (
        _("Change %(kind)s") % {"kind": spec.label}
        if instance
        else _("Add %(kind)s") % {"kind": spec.label}
    )
    return render(
        request,
        "directory/staff/form.html",
        {
            "kind": spec,
            "form": form,
            "title": title,
            "instance": instance,
            "may_delete": instance is not None and _may(request, spec, "delete"),
        },
    )


@login_required
def object_delete(request: StaffRequest, kind: str, pk: str) -> HttpResponse:
    spec = _kind(kind)
    _require(request, spec, "delete")
    instance = get_object_or_404(spec.model, pk=pk)
    if spec.model is Event:
        raise Http404  # events are cancelled, not deleted: agenda items point at them
    if request.method == "POST":
        services.directory_object_delete(actor=request.user, obj=instance)
        messages.success(request, _("Removed: %(name)s") % {"name": instance})
        return redirect("directory:list", kind=spec.slug)
    return render(
        request, "directory/staff/confirm_delete.html", {"kind": spec, "instance": instance}
    )
