"""Staff pages of privacy-preserving rounds, at /staff/linkage/private/: the rounds a
membership sees, opening one, uploading encodings (a file made offline, or the agency's own
platform records encoded with the key typed in), withdrawing, counting. Thin: the engine
decides what is shown, the services decide what may change."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from safeharbor.core import permissions as engine
from safeharbor.core.csv_export import csv_response
from safeharbor.core.decorators import requires
from safeharbor.core.forms import apply_errors
from safeharbor.core.http import StaffRequest

from ..counts import format_count
from . import selectors, services
from .forms import PlatformEncodeForm, RoundForm, UploadForm
from .models import PrivateRound, RoundStatus


@requires("linkage.privateround.view")
def index(request: StaffRequest) -> HttpResponse:
    membership = request.membership
    rounds = list(selectors.rounds_for(membership))
    engine.record_list(membership, PrivateRound, count=len(rounds))
    return render(
        request,
        "linkage/pprl/index.html",
        {
            "rounds": rounds,
            "can_add": engine.role_allows(membership, "linkage.privateround.add"),
            "may_export": selectors.may_export_own_records(membership),
        },
    )


@requires("linkage.encodingupload.add")
def export(request: StaffRequest) -> HttpResponse:
    """How an agency whose records are on the platform takes part offline: download its
    records in the columns 'safeharbor encode' reads, encode them with the shared key on its
    own computer, upload the encodings."""
    membership = request.membership
    if not selectors.may_export_own_records(membership):
        raise PermissionDenied
    return render(
        request,
        "linkage/pprl/export.html",
        {"vawa": membership.agency.vawa_covered, "agency": membership.agency},
    )


@requires("linkage.encodingupload.add")
def export_csv(request: StaffRequest) -> HttpResponse:
    membership = request.membership
    vawa = membership.agency.vawa_covered
    records = services.export_own_records(membership=membership)
    header, rows = selectors.export_lines(records, vawa=vawa)
    return csv_response(f"{membership.agency.slug}-records-for-encoding.csv", header, rows)


@requires("linkage.privateround.add")
def round_new(request: StaffRequest) -> HttpResponse:
    membership = request.membership
    form = RoundForm(request.POST or None, own_agency=membership.agency)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = services.round_create(
                membership=membership,
                title=form.cleaned_data["title"],
                key_fingerprint=form.cleaned_data["key_fingerprint"],
                invited=list(form.cleaned_data["invited"]),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The round is open. The invited agencies can upload now."))
            return redirect("pprl:round", pk=round_.pk)
    return render(request, "linkage/pprl/round_form.html", {"form": form})


def _detail_context(request: StaffRequest, round_: Any, **forms: Any) -> dict[str, Any]:
    membership = request.membership
    takes_part = (
        membership.agency_id == round_.agency_id
        or round_.invited.filter(pk=membership.agency_id).exists()
    )
    may_upload = (
        takes_part
        and round_.status != RoundStatus.CLOSED
        and engine.role_allows(membership, "linkage.encodingupload.add")
    )
    count = selectors.round_count_of(round_)
    return {
        "round": round_,
        "count_text": (
            format_count(_("Unique people in this round"), count, suppress_small_cells=True)
            if count
            else ""
        ),
        "participation": selectors.participation(round_),
        "uploads": list(selectors.uploads_of_agency(membership, round_)),
        "may_upload": may_upload,
        "may_encode_here": may_upload and engine.role_allows(membership, "survivors.person.view"),
        "may_export": may_upload and selectors.may_export_own_records(membership),
        "may_count": engine.can(membership, "count", round_),
        "may_close": engine.can(membership, "change", round_)
        and round_.status != RoundStatus.CLOSED,
        "upload_form": forms.get("upload_form") or UploadForm(),
        "encode_form": forms.get("encode_form")
        or PlatformEncodeForm(initial={"source_label": membership.agency.slug}),
    }


def _round(request: StaffRequest, pk: int) -> Any:
    return get_object_or_404(selectors.rounds_for(request.membership), pk=pk)


@requires("linkage.privateround.view")
def round_detail(request: StaffRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    engine.record_view(request.membership, round_)
    return render(request, "linkage/pprl/round_detail.html", _detail_context(request, round_))


@require_POST
@requires("linkage.encodingupload.add")
def upload(request: StaffRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.upload_encodings(
                membership=request.membership, round_id=round_.pk, data=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your agency's encodings are in the round."))
            return redirect("pprl:round", pk=round_.pk)
    context = _detail_context(request, round_, upload_form=form)
    return render(request, "linkage/pprl/round_detail.html", context, status=400)


@sensitive_post_parameters("key")
@require_POST
@requires("linkage.encodingupload.add")
def encode_here(request: StaffRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    form = PlatformEncodeForm(request.POST)
    if form.is_valid():
        try:
            services.upload_platform_records(
                membership=request.membership,
                round_id=round_.pk,
                key=form.cleaned_data["key"],
                source_label=form.cleaned_data["source_label"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("Your agency's records were encoded; the key was not kept.")
            )
            return redirect("pprl:round", pk=round_.pk)
    # The key is never sent back to the page.
    form.data = form.data.copy()
    form.data["key"] = ""
    context = _detail_context(request, round_, encode_form=form)
    return render(request, "linkage/pprl/round_detail.html", context, status=400)


@require_POST
@requires("linkage.encodingupload.withdraw")
def withdraw(request: StaffRequest, pk: int, upload_pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    services.upload_withdraw(membership=request.membership, upload_id=upload_pk)
    messages.success(request, _("The upload was withdrawn; it is no longer counted."))
    return redirect("pprl:round", pk=round_.pk)


@require_POST
@requires("linkage.privateround.count")
def count(request: StaffRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    try:
        services.round_count(membership=request.membership, round_id=round_.pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The round was counted."))
    return redirect("pprl:round", pk=round_.pk)


@require_POST
@requires("linkage.privateround.change")
def close(request: StaffRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    services.round_close(membership=request.membership, round_id=round_.pk)
    messages.success(request, _("The round is closed."))
    return redirect("pprl:round", pk=round_.pk)
