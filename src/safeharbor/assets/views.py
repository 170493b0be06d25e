"""Staff pages of seized property, at /staff/assets/. Thin: the permission engine decides
what is listed and opened, forms validate, services write; every view of a record, list and
download is audited."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from safeharbor.core import permissions as engine
from safeharbor.core.csv_export import csv_response
from safeharbor.core.decorators import requires
from safeharbor.core.forms import apply_errors
from safeharbor.core.http import StaffRequest
from safeharbor.core.pdf import pdf_response

from . import selectors, services
from .choices import ForfeitureState
from .forms import (
    CustodyForm,
    DispositionForm,
    ForfeitureStepForm,
    LienholderForm,
    PeriodForm,
    PhotoForm,
    PolicyForm,
    SeizureForm,
    StateFilterForm,
)
from .models import (
    AssetPhoto,
    CustodyEvent,
    Disposition,
    ForfeitureEvent,
    Lienholder,
    SeizedAsset,
)


def _open(request: StaffRequest, pk: int, action: str = "view", audit: bool = True) -> SeizedAsset:
    asset = get_object_or_404(selectors.assets_for(request.membership, action), pk=pk)
    if action == "view" and audit:
        engine.record_view(request.membership, asset)
    return asset


def _can_add(request: StaffRequest, model: type, asset: SeizedAsset) -> bool:
    return engine.can(request.membership, "add", model(asset=asset))


def _export_format(request: StaffRequest) -> str:
    return request.GET.get("format", "")


# List and seizure ---------------------------------------------------------------------------


@requires("assets.seizedasset.view")
def index(request: StaffRequest) -> HttpResponse:
    filters = StateFilterForm(request.GET or None)
    assets = selectors.assets_for(request.membership)
    if filters.is_valid():
        if filters.cleaned_data["state"]:
            assets = assets.filter(state=filters.cleaned_data["state"])
        if filters.cleaned_data["kind"]:
            assets = assets.filter(kind=filters.cleaned_data["kind"])
    rows = list(assets[:200])
    engine.record_list(request.membership, SeizedAsset, count=len(rows))
    membership = request.membership
    return render(
        request,
        "assets/index.html",
        {
            "assets": rows,
            "filters": filters,
            "can_add": engine.role_allows(membership, "assets.seizedasset.add"),
            "can_report": engine.role_allows(membership, "assets.report.view"),
            "can_configure": engine.role_allows(membership, "assets.forfeiturepolicy.change"),
            "deadlines": selectors.deadlines_for(membership, today=timezone.localdate()),
        },
    )


@requires("assets.seizedasset.add")
def seize(request: StaffRequest) -> HttpResponse:
    membership = request.membership
    initial = {
        "seized_at": timezone.localtime().replace(second=0, microsecond=0),
        "seized_by": membership.user_id,
        "custodian": _("Evidence room"),
    }
    form = SeizureForm(request.POST or None, membership=membership, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            asset = services.asset_seize(
                membership=membership,
                estimated_value=data.pop("estimated_value") or 0,
                **data,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Property %(ref)s recorded.") % {"ref": asset.reference})
            return redirect("assets:detail", pk=asset.pk)
    return render(
        request,
        "assets/form.html",
        {
            "form": form,
            "title": _("Record seized property"),
            "intro": _(
                "Only property of a buyer or an exploiter is seized, never the property of "
                "the person who was sold."
            ),
            "submit": _("Record seizure"),
            "multipart": False,
        },
    )


# One asset ----------------------------------------------------------------------------------


def _detail(request: StaffRequest, asset: SeizedAsset, **forms: Any) -> HttpResponse:
    membership = request.membership
    allowed = services.allowed_next(asset.state)
    can_step = _can_add(request, ForfeitureEvent, asset)
    can_dispose = _can_add(request, Disposition, asset) and ForfeitureState.DISPOSED in allowed
    can_custody = _can_add(request, CustodyEvent, asset)
    now = timezone.localtime().replace(second=0, microsecond=0)
    today = timezone.localdate()
    if can_custody and "custody_form" not in forms:
        forms["custody_form"] = CustodyForm(
            membership=membership, asset=asset, initial={"occurred_at": now}
        )
    step_choices = [s for s in allowed if s != ForfeitureState.DISPOSED]
    if can_step and step_choices and "step_form" not in forms:
        forms["step_form"] = ForfeitureStepForm(allowed=allowed, initial={"occurred_on": today})
    if can_dispose and "dispose_form" not in forms:
        forms["dispose_form"] = DispositionForm(
            is_cash=asset.is_cash, initial={"disposed_on": today}
        )
    if _can_add(request, AssetPhoto, asset) and "photo_form" not in forms:
        forms["photo_form"] = PhotoForm()
    if _can_add(request, Lienholder, asset) and "lien_form" not in forms:
        forms["lien_form"] = LienholderForm()
    disposition = Disposition.objects.filter(asset=asset).select_related("receipt__entry").first()
    return render(
        request,
        "assets/detail.html",
        {
            "asset": asset,
            "categories": engine.visible_categories(membership, asset),
            "custody": list(asset.custody_events.select_related("recorded_by", "corrects")),
            "steps": list(asset.forfeiture_events.select_related("recorded_by")),
            "liens": list(asset.liens.all()),
            "photos": list(asset.photos.select_related("file")),
            "disposition": disposition,
            "allowed": [ForfeitureState(s).label for s in allowed],
            "held_cash": services.held_cash_for(asset) if asset.is_cash else None,
            **forms,
        },
        status=400 if any(f.is_bound and f.errors for f in forms.values()) else 200,
    )


@requires("assets.seizedasset.view")
def detail(request: StaffRequest, pk: int) -> HttpResponse:
    return _detail(request, _open(request, pk))


def _post_only(request: StaffRequest) -> None:
    if request.method != "POST":
        raise PermissionDenied


@requires("assets.custodyevent.add")
def custody_add(request: StaffRequest, pk: int) -> HttpResponse:
    _post_only(request)
    asset = _open(request, pk, audit=False)
    form = CustodyForm(request.POST, membership=request.membership, asset=asset)
    if form.is_valid():
        try:
            services.custody_transfer(
                membership=request.membership, asset=asset, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Custody hand-over recorded."))
            return redirect("assets:detail", pk=asset.pk)
    return _detail(request, asset, custody_form=form)


@requires("assets.forfeitureevent.add")
def step_add(request: StaffRequest, pk: int) -> HttpResponse:
    _post_only(request)
    asset = _open(request, pk, audit=False)
    form = ForfeitureStepForm(request.POST, allowed=services.allowed_next(asset.state))
    if form.is_valid():
        try:
            services.forfeiture_advance(
                membership=request.membership, asset=asset, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            asset.refresh_from_db()
            messages.success(
                request, _("Recorded: %(state)s.") % {"state": asset.get_state_display()}
            )
            return redirect("assets:detail", pk=asset.pk)
    return _detail(request, asset, step_form=form)


@requires("assets.disposition.add")
def dispose(request: StaffRequest, pk: int) -> HttpResponse:
    _post_only(request)
    asset = _open(request, pk, audit=False)
    form = DispositionForm(request.POST, is_cash=asset.is_cash)
    if form.is_valid():
        data = {k: (v if v is not None else 0) for k, v in form.cleaned_data.items()}
        try:
            services.asset_dispose(membership=request.membership, asset=asset, **data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Disposition recorded."))
            return redirect("assets:detail", pk=asset.pk)
    return _detail(request, asset, dispose_form=form)


@requires("assets.assetphoto.add")
def photo_add(request: StaffRequest, pk: int) -> HttpResponse:
    _post_only(request)
    asset = _open(request, pk, audit=False)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.photo_add(
                membership=request.membership,
                asset=asset,
                upload=form.cleaned_data["photo"],
                caption=form.cleaned_data["caption"],
            )
        except ValidationError as error:
            form.add_error("photo", error.messages)
        else:
            messages.success(request, _("Photo added."))
            return redirect("assets:detail", pk=asset.pk)
    return _detail(request, asset, photo_form=form)


@requires("assets.lienholder.add")
def lien_add(request: StaffRequest, pk: int) -> HttpResponse:
    _post_only(request)
    asset = _open(request, pk, audit=False)
    form = LienholderForm(request.POST)
    if form.is_valid():
        try:
            services.lienholder_add(membership=request.membership, asset=asset, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Lienholder added."))
            return redirect("assets:detail", pk=asset.pk)
    return _detail(request, asset, lien_form=form)


# Settings -----------------------------------------------------------------------------------


@requires("assets.seizedasset.view")
def settings_page(request: StaffRequest) -> HttpResponse:
    membership = request.membership
    policy = services.policy_for(membership.agency_id)
    can_change = engine.role_allows(membership, "assets.forfeiturepolicy.change")
    form = PolicyForm(
        request.POST or None,
        initial={
            "fund": policy.fund_id,
            "claim_window_days": policy.claim_window_days,
            "notice_within_days": policy.notice_within_days,
        },
    )
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.policy_configure(membership=membership, **form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Forfeiture settings saved."))
                return redirect("assets:settings")
    return render(
        request,
        "assets/settings.html",
        {"form": form if can_change else None, "policy": policy},
    )


# Reports ------------------------------------------------------------------------------------


def _period(request: StaffRequest) -> PeriodForm:
    today = timezone.localdate()
    initial = {"start": datetime.date(today.year, 1, 1), "end": today}
    return PeriodForm(request.GET if "start" in request.GET else initial)


def _audit_export(request: StaffRequest, model: type, count: int, fields: list[str]) -> None:
    engine.record_export(request.membership, model, count=count, fields=fields)


def _seizure_rows(report: selectors.SeizureReport) -> list[list[Any]]:
    return [
        [
            a.reference,
            timezone.localtime(a.seized_at).date().isoformat(),
            a.get_kind_display(),
            a.description,
            a.subject.reference,
            a.subject.get_kind_display(),
            a.investigation.case_number if a.investigation else "",
            a.operation.name if a.operation else "",
            a.estimated_value,
            a.get_state_display(),
            a.custodian or "",
            a.location or "",
        ]
        for a in report.rows
    ]


SEIZURE_HEADER = [
    _("Property number"),
    _("Seized"),
    _("Kind"),
    _("Description"),
    _("Seized from"),
    _("Buyer or exploiter"),
    _("Investigation"),
    _("Operation"),
    _("Estimated value"),
    _("State"),
    _("Custodian"),
    _("Location"),
]


@requires("assets.report.view")
def seizure_report(request: StaffRequest) -> HttpResponse:
    form = _period(request)
    report = None
    if form.is_valid():
        report = selectors.seizure_report(request.membership, **form.cleaned_data)
        fmt = _export_format(request)
        name = f"seizures-{report.start}-{report.end}"
        if fmt == "csv":
            _audit_export(request, SeizedAsset, report.count, ["seizure_report"])
            header = [str(h) for h in SEIZURE_HEADER]
            return csv_response(f"{name}.csv", header, _seizure_rows(report))
        if fmt == "pdf":
            _audit_export(request, SeizedAsset, report.count, ["seizure_report"])
            return pdf_response(
                "assets/pdf/seizure_report.html",
                {
                    "report": report,
                    "title": _("Seizure report"),
                    "header": SEIZURE_HEADER,
                    "rows": _seizure_rows(report),
                },
                filename=name,
            )
        engine.record_list(request.membership, SeizedAsset, count=report.count)
    return render(
        request,
        "assets/seizure_report.html",
        {"form": form, "report": report, "query": request.GET.urlencode()},
    )


def _judgment_rows(report: selectors.JudgmentReport) -> list[list[Any]]:
    rows = []
    for row in report.rows:
        d = row.disposition
        split = dict(row.split)
        rows.append(
            [
                row.asset.reference,
                row.asset.get_kind_display(),
                row.asset.description,
                row.judgment.get_to_state_display(),
                row.judgment.occurred_on.isoformat(),
                row.judgment.court_case_number,
                d.get_method_display() if d else "",
                d.disposed_on.isoformat() if d else "",
                d.gross_proceeds if d else "",
                d.towing_costs if d else "",
                d.storage_costs if d else "",
                d.auction_costs if d else "",
                d.attorney_commission if d else "",
                d.lien_paid if d else "",
                d.net_proceeds if d else "",
                *[split.get(name, "") for name in report.share_names],
                " ".join(f"#{n}" for n in row.fund_entries),
            ]
        )
    return rows


def _judgment_header(report: selectors.JudgmentReport) -> list[str]:
    return [
        str(h)
        for h in [
            _("Property number"),
            _("Kind"),
            _("Description"),
            _("Judgment"),
            _("Judgment date"),
            _("Court case"),
            _("Disposition"),
            _("Disposed"),
            _("Gross proceeds"),
            _("Towing"),
            _("Storage"),
            _("Auction fees"),
            _("Attorney commission"),
            _("Paid to lienholders"),
            _("Net proceeds"),
            *[_("To %(share)s") % {"share": name} for name in report.share_names],
            _("Fund entries"),
        ]
    ]


@requires("assets.report.view")
def judgment_report(request: StaffRequest) -> HttpResponse:
    form = _period(request)
    report = None
    if form.is_valid():
        report = selectors.judgment_report(request.membership, **form.cleaned_data)
        fmt = _export_format(request)
        name = f"judgments-{report.start}-{report.end}"
        if fmt in ("csv", "pdf"):
            _audit_export(request, SeizedAsset, len(report.rows), ["judgment_report"])
            header, rows = _judgment_header(report), _judgment_rows(report)
            if fmt == "csv":
                return csv_response(f"{name}.csv", header, rows)
            return pdf_response(
                "assets/pdf/judgment_report.html",
                {"report": report, "title": _("Judgment and distribution report")},
                filename=name,
            )
        engine.record_list(request.membership, SeizedAsset, count=len(report.rows))
    return render(
        request,
        "assets/judgment_report.html",
        {"form": form, "report": report, "query": request.GET.urlencode()},
    )


@requires("assets.report.view")
def reports(request: StaffRequest) -> HttpResponse:
    """The reports of this area, and the fund's own reports where the user can see the fund."""
    from safeharbor.funds.models import Fund

    policy = services.policy_for(request.membership.agency_id)
    funds = Fund.objects.visible_to(request.membership)
    fund = funds.filter(pk=policy.fund_id).first() or funds.first()
    return render(request, "assets/reports.html", {"fund": fund, "policy": policy})


__all__ = [
    "custody_add",
    "detail",
    "dispose",
    "index",
    "judgment_report",
    "lien_add",
    "photo_add",
    "reports",
    "seize",
    "seizure_report",
    "settings_page",
    "step_add",
]
