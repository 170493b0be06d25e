"""Staff pages of housing, at /staff/housing/. Thin: the engine decides what is shown, the
services decide what may change."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import partial
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safeharbor.accounts.models import Program
from safeharbor.audit.choices import AuditAction
from safeharbor.audit.services import audit_record
from safeharbor.core import permissions as engine
from safeharbor.core.csv_export import csv_response
from safeharbor.core.decorators import requires
from safeharbor.core.forms import apply_errors
from safeharbor.core.http import StaffRequest
from safeharbor.core.pdf import pdf_response

from . import charts, selectors, services
from .choices import AssistanceStatus
from .forms import (
    ExitForm,
    PayForm,
    PeriodForm,
    PlacementForm,
    PlacementUpdateForm,
    ProgramForm,
    ReturnForm,
)
from .models import AssistancePayment, HousingProgram, Placement


def _placement(request: StaffRequest, pk: int, action: str = "view") -> Placement:
    return get_object_or_404(
        selectors.visible_placements(request.membership, action).select_related(
            "program__program", "partner_agency", "person", "unit", "agency"
        ),
        pk=pk,
    )


@requires("housing.housingprogram.view")
def index(request: StaffRequest) -> HttpResponse:
    membership = request.membership
    rows = []
    if engine.role_allows(membership, "housing.placement.view"):
        rows = list(
            selectors.visible_placements(membership)
            .select_related("program__program", "partner_agency")
            .order_by("-start_on", "-id")[:200]
        )
        engine.record_list(membership, Placement, count=len(rows))
    unconfigured = []
    if engine.role_allows(membership, "housing.housingprogram.change"):
        unconfigured = list(
            Program.objects.filter(kind="housing", is_active=True, housing__isnull=True)
        )
    return render(
        request,
        "housing/index.html",
        {
            "programs": selectors.programs(),
            "placements": rows,
            "unconfigured": unconfigured,
            "can_add": engine.role_allows(membership, "housing.placement.add"),
        },
    )


def _period(request: StaffRequest) -> tuple[PeriodForm, datetime.date, datetime.date]:
    today = timezone.localdate()
    default_start = today.replace(year=today.year - 2, day=1)
    form = PeriodForm(request.GET or None, initial={"start": default_start, "end": today})
    if request.GET and form.is_valid():
        return form, form.cleaned_data["start"], form.cleaned_data["end"]
    return form, default_start, today


def _program_outcomes(
    membership: Any,
    housing: HousingProgram,
    *,
    start: datetime.date,
    end: datetime.date,
    as_pdf: bool,
) -> tuple[selectors.Outcomes, bool]:
    """The outcomes to show and whether to suppress small cells: the viewer's own visible
    placements exactly (audited as a list of the program), or, for aggregate-only roles,
    the whole program counted through a statistical read (audited by the read), suppressed."""
    if engine.role_allows(membership, "housing.placement.view"):
        placements = selectors.visible_placements(membership).filter(program=housing)
        audit_record(
            action=AuditAction.EXPORT if as_pdf else AuditAction.LIST,
            actor=membership.user,
            agency_id=membership.agency_id,
            object_type="housing.housingprogram",
            object_id=housing.pk,
            reason="outcomes_pdf" if as_pdf else "outcomes",
        )
        return selectors.outcomes(placements, start=start, end=end), False
    if engine.role_allows(membership, "housing.placement.aggregate"):
        purpose = "housing.outcomes.pdf" if as_pdf else "housing.outcomes"
        counted = selectors.counted_outcomes(
            membership, housing=housing, start=start, end=end, purpose=purpose
        )
        return counted, True
    raise PermissionDenied


@requires("housing.housingprogram.view")
def program_detail(request: StaffRequest, pk: int) -> HttpResponse:
    housing = get_object_or_404(selectors.programs(), pk=pk)
    membership = request.membership
    form, start, end = _period(request)
    as_pdf = request.GET.get("format") == "pdf"
    result, suppressed = _program_outcomes(membership, housing, start=start, end=end, as_pdf=as_pdf)
    data = selectors.chart_rows(result)
    chart_list = []
    if not suppressed:
        chart_list = [
            {
                "title": _("Move-ins by month"),
                "svg": charts.bar_chart_svg(
                    data["move_ins"],
                    x="month",
                    y="people",
                    x_title=_("Month"),
                    y_title=_("People who moved in"),
                ),
                "columns": (_("Month"), _("People who moved in")),
                "rows": [(r["month"], r["people"]) for r in data["move_ins"]],
            },
            {
                "title": _("Exits by destination"),
                "svg": charts.bar_chart_svg(
                    data["exits"],
                    x="group",
                    y="exits",
                    x_title=_("Destination"),
                    y_title=_("Exits"),
                ),
                "columns": (_("Destination"), _("Exits")),
                "rows": [(r["group"], r["exits"]) for r in data["exits"]],
            },
        ]
    context = {
        "housing": housing,
        "form": form,
        "start": start,
        "end": end,
        "suppressed": suppressed,
        "summary": selectors.summary_rows(result, suppressed=suppressed),
        "groups": selectors.group_rows(result, suppressed=suppressed),
        "charts": chart_list,
        "can_edit": engine.role_allows(membership, "housing.housingprogram.change"),
        "can_export": engine.role_allows(membership, "housing.housingprogram.export"),
        "query": request.GET.urlencode(),
    }
    if as_pdf:
        return pdf_response(
            "housing/pdf/outcomes.html",
            context,
            filename=f"housing-outcomes-{housing.program.slug}-{start}-{end}",
        )
    return render(request, "housing/program.html", context)


@requires("housing.housingprogram.export")
def program_export(request: StaffRequest, pk: int) -> HttpResponse:
    """The funder export: counts only, small cells suppressed, over the whole program
    (counted as the system actor on the reader's behalf: the export permission is what lets
    a reader count every partner's placements of the program)."""
    housing = get_object_or_404(HousingProgram.objects.select_related("program"), pk=pk)
    _form, start, end = _period(request)
    result = selectors.counted_outcomes(
        engine.SYSTEM,
        housing=housing,
        start=start,
        end=end,
        purpose="housing.funder_export",
        on_behalf_of=request.membership,
    )
    rows = selectors.funder_rows(result)
    audit_record(
        action=AuditAction.EXPORT,
        actor=request.user,
        agency_id=request.membership.agency_id,
        object_type="housing.housingprogram",
        object_id=housing.pk,
        fields=["aggregate_counts"],
        reason="funder_export",
    )
    header = ["Program", "Period start", "Period end", "Section", "Category", "Count"]
    name = housing.program.name
    return csv_response(
        f"housing-outcomes-{housing.program.slug}-{start}-{end}.csv",
        header,
        ([name, start.isoformat(), end.isoformat(), *row] for row in rows),
    )


@requires("housing.housingprogram.change")
def program_settings(request: StaffRequest, program_pk: int) -> HttpResponse:
    program = get_object_or_404(Program.objects.filter(is_active=True), pk=program_pk)
    housing = HousingProgram.objects.filter(program=program).first()
    initial = (
        {
            "project_type": housing.project_type,
            "partners": list(housing.partners.all()),
            "allows_juveniles": housing.allows_juveniles,
        }
        if housing
        else {}
    )
    form = ProgramForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            housing = services.housing_program_configure(
                membership=request.membership,
                program=program,
                project_type=form.cleaned_data["project_type"],
                partners=form.cleaned_data["partners"],
                allows_juveniles=form.cleaned_data["allows_juveniles"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The housing details are saved."))
            return redirect("housing:program", pk=housing.pk)
    return render(request, "housing/program_form.html", {"program": program, "form": form})


@requires("housing.placement.add")
def placement_new(request: StaffRequest) -> HttpResponse:
    from safeharbor.survivors.models import Person

    membership = request.membership
    programs = selectors.programs()
    form = PlacementForm(
        request.POST or None,
        programs=programs,
        initial={"reference": request.GET.get("reference", ""), "participant_share": 0},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = (
            Person.objects.visible_to(membership)
            .filter(agency_id=membership.agency_id, reference=data["reference"].strip().upper())
            .first()
        )
        if person is None:
            form.add_error("reference", _("No record of your agency has that reference."))
        else:
            try:
                with transaction.atomic():
                    unit = None
                    if data["address"] or data["landlord_name"]:
                        unit = services.unit_create(
                            membership=membership,
                            agency=membership.agency,
                            address=data["address"],
                            landlord_name=data["landlord_name"],
                            landlord_contact=data["landlord_contact"],
                            bedrooms=data["bedrooms"] if data["bedrooms"] is not None else 1,
                        )
                    placement = services.placement_create(
                        membership=membership,
                        person=person,
                        program=data["program"],
                        partner_agency=data["partner_agency"],
                        partner_caseworker=data["partner_caseworker"],
                        unit=unit,
                        referral_on=data["referral_on"],
                        start_on=data["start_on"],
                        move_in_on=data["move_in_on"],
                        lease_in_own_name=data["lease_in_own_name"],
                        lease_start_on=data["lease_start_on"],
                        lease_months=data["lease_months"],
                        rent=data["rent"],
                        assistance_months=data["assistance_months"],
                        assistance_monthly=data["assistance_monthly"],
                        participant_share=data["participant_share"],
                        income_start=data["income_start"],
                    )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The placement is recorded."))
                return redirect("housing:placement", pk=placement.pk)
    return render(request, "housing/placement_form.html", {"form": form})


def _allocations(placement: Placement) -> Any:
    from safeharbor.funds.models import Allocation
    from safeharbor.funds.selectors import with_balances

    return with_balances(
        Allocation.objects.filter(program_id=placement.program.program_id).select_related(
            "fiscal_year"
        )
    ).order_by("-fiscal_year__starts_on", "id")


@requires("housing.placement.view")
def placement_detail(request: StaffRequest, pk: int) -> HttpResponse:
    membership = request.membership
    placement = _placement(request, pk)
    categories = engine.visible_categories(membership, placement)
    engine.record_view(membership, placement)
    person_name = None
    if "identity" in categories and "identity" in engine.visible_categories(
        membership, placement.person
    ):
        person_name = placement.person.display_name
    unit_categories = (
        engine.visible_categories(membership, placement.unit) if placement.unit else frozenset()
    )
    if placement.unit and "identity" in unit_categories:
        engine.record_view(membership, placement.unit)
    payments = list(placement.assistance_payments.all())
    can_change = engine.can(membership, "change", placement)
    can_schedule = engine.can(membership, "add", AssistancePayment(placement=placement))
    can_approve = bool(payments) and engine.can(membership, "approve", payments[0])
    can_pay = bool(payments) and engine.can(membership, "pay", payments[0])
    update_form = PlacementUpdateForm(
        initial={name: getattr(placement, name) for name in PlacementUpdateForm.base_fields},
        with_unit=placement.unit_id is None,
    )
    return render(
        request,
        "housing/placement.html",
        {
            "placement": placement,
            "categories": categories,
            "person_name": person_name,
            "unit_categories": unit_categories,
            "payments": payments,
            "can_change": can_change and placement.exit_on is None,
            "can_record_return": can_change and placement.exit_on is not None,
            "can_schedule": can_schedule and placement.exit_on is None,
            "can_approve": can_approve,
            "can_pay": can_pay,
            "update_form": update_form,
            "exit_form": ExitForm(),
            "return_form": ReturnForm(),
            "pay_form": PayForm(allocations=_allocations(placement)) if can_pay else None,
            "approved": AssistanceStatus.APPROVED,
            "scheduled": AssistanceStatus.SCHEDULED,
        },
    )


def _form_post(
    request: StaffRequest,
    pk: int,
    form_class: Any,
    action: Callable[[Placement, dict], Any],
    success: str,
    engine_action: str = "change",
) -> HttpResponse:
    placement = _placement(request, pk, engine_action)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            action(placement, form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, success)
            return redirect("housing:placement", pk=placement.pk)
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)
    return redirect("housing:placement", pk=placement.pk)


@require_POST
@requires("housing.placement.change")
def placement_update(request: StaffRequest, pk: int) -> HttpResponse:
    membership = request.membership

    def update(placement: Placement, data: dict) -> None:
        unit_values = {n: data.pop(n, None) for n in PlacementUpdateForm.UNIT_FIELDS}
        with transaction.atomic():
            if placement.unit_id is None and (
                unit_values["address"] or unit_values["landlord_name"]
            ):
                data["unit"] = services.unit_create(
                    membership=membership,
                    agency=placement.agency,
                    address=unit_values["address"],
                    landlord_name=unit_values["landlord_name"],
                    landlord_contact=unit_values["landlord_contact"] or "",
                    bedrooms=unit_values["bedrooms"] if unit_values["bedrooms"] is not None else 1,
                )
            services.placement_update(membership=membership, placement=placement, values=data)

    placement = _placement(request, pk, "change")
    form_class = partial(PlacementUpdateForm, with_unit=placement.unit_id is None)
    return _form_post(request, pk, form_class, update, _("The placement is updated."))


@require_POST
@requires("housing.placement.change")
def placement_exit(request: StaffRequest, pk: int) -> HttpResponse:
    return _form_post(
        request,
        pk,
        ExitForm,
        lambda p, d: services.placement_exit(membership=request.membership, placement=p, **d),
        _("The exit is recorded."),
    )


@require_POST
@requires("housing.placement.change")
def placement_return(request: StaffRequest, pk: int) -> HttpResponse:
    return _form_post(
        request,
        pk,
        ReturnForm,
        lambda p, d: services.placement_record_return(
            membership=request.membership, placement=p, returned_on=d["returned_on"]
        ),
        _("The follow-up is recorded."),
    )


@require_POST
@requires("housing.assistancepayment.add")
def placement_schedule(request: StaffRequest, pk: int) -> HttpResponse:
    placement = _placement(request, pk)
    try:
        new = services.assistance_schedule(membership=request.membership, placement=placement)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("%(n)d months of rent help scheduled.") % {"n": len(new)})
    return redirect("housing:placement", pk=placement.pk)


def _payment(request: StaffRequest, pk: int, action: str) -> AssistancePayment:
    return get_object_or_404(
        AssistancePayment.objects.visible_to(request.membership, action).select_related(
            "placement__program"
        ),
        pk=pk,
    )


@require_POST
@requires("housing.assistancepayment.approve")
def payment_approve(request: StaffRequest, pk: int) -> HttpResponse:
    payment = _payment(request, pk, "approve")
    try:
        services.assistance_approve(membership=request.membership, payment=payment)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("The month is approved for payment."))
    return redirect("housing:placement", pk=payment.placement_id)


@require_POST
@requires("housing.assistancepayment.pay")
def payment_pay(request: StaffRequest, pk: int) -> HttpResponse:
    payment = _payment(request, pk, "pay")
    form = PayForm(request.POST, allocations=_allocations(payment.placement))
    if form.is_valid():
        try:
            services.assistance_pay(
                membership=request.membership,
                payment=payment,
                allocation=form.cleaned_data["allocation"],
                paid_on=form.cleaned_data["paid_on"],
            )
        except ValidationError as error:
            for field, texts in getattr(error, "message_dict", {"": error.messages}).items():
                label = form.fields[field].label if field in form.fields else ""
                for text in texts:
                    messages.error(request, f"{label}: {text}" if label else text)
        except PermissionDenied as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Paid, and posted to the fund ledger."))
    else:
        for field, texts in form.errors.items():
            for text in texts:
                messages.error(request, f"{form.fields[field].label}: {text}")
    return redirect("housing:placement", pk=payment.placement_id)
