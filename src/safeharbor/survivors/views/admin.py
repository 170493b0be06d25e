"""Import from another system, and screening instruments."""

from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from safeharbor.core.http import StaffRequest

from .. import services
from ..forms import ImportForm, InstrumentForm
from ..importer import COLUMNS, MULTI_SEPARATOR
from ..models import ScreeningInstrument
from ._base import apply_errors, area_required, render_form

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


@area_required
@require_http_methods(["GET", "POST"])
def import_people(request: StaffRequest) -> HttpResponse:
    """Upload a CSV; every bad row is listed and nothing is imported unless all are good."""
    membership = request.membership
    if not membership.has_perm("survivors.person.add"):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    outcome = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            form.add_error("file", _("The file is larger than 5 MB; use the command line."))
        else:
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                form.add_error("file", _("Save the file as UTF-8 CSV and try again."))
            else:
                outcome = services.survivors_import(
                    membership=membership,
                    agency=membership.agency,
                    stream=text,
                    dry_run=form.cleaned_data["dry_run"],
                )
    status = 400 if (form.is_bound and form.errors) or (outcome and not outcome.ok) else 200
    return render(
        request,
        "survivors/import.html",
        {
            "form": form,
            "outcome": outcome,
            "columns": COLUMNS,
            "separator": MULTI_SEPARATOR,
        },
        status=status,
    )


@area_required
def instrument_list(request: StaffRequest) -> HttpResponse:
    instruments = services.instruments_for(request.membership.agency_id)
    every_version = ScreeningInstrument.objects.filter(
        slug__in=instruments.values("slug")
    ).order_by("slug", "-version")
    return render(
        request,
        "survivors/instrument_list.html",
        {
            "instruments": every_version,
            "can_add": request.membership.effective_scope == "agency"
            and request.membership.has_perm("survivors.screeninginstrument.add"),
        },
    )


@area_required
@require_http_methods(["GET", "POST"])
def instrument_create(request: StaffRequest) -> HttpResponse:
    membership = request.membership
    if membership.effective_scope != "agency" or not membership.has_perm(
        "survivors.screeninginstrument.add"
    ):
        raise PermissionDenied
    base = None
    if request.GET.get("from"):
        base = ScreeningInstrument.objects.filter(pk=request.GET["from"]).first()
    initial = {}
    if base is not None:
        initial = {
            "slug": base.slug if base.agency_id == membership.agency_id else f"{base.slug}-local",
            "name": base.name,
            "definition": json.dumps(base.definition, indent=2, ensure_ascii=False),
        }
    form = InstrumentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.instrument_create_version(membership=membership, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
            if not hasattr(exc, "error_dict"):
                form.errors.pop("__all__", None)
                for message in exc.messages:
                    form.add_error("definition", message)
        else:
            return redirect("survivors:instrument-list")
    return render_form(
        request,
        form,
        title=_("New instrument version"),
        submit=_("Save as a new version"),
        back=reverse("survivors:instrument-list"),
        intro=_(
            "Screenings already made keep the version they used. The new version replaces "
            "your agency's previous one for new screenings."
        ),
    )
