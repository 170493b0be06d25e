"""Cases: open, detail with services and notes, edit, close with a supervisor's approval."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from safeharbor.core.http import StaffRequest

from .. import access, services
from ..choices import CaseStatus, ServiceStatus
from ..forms import (
    CaseEditForm,
    CaseForm,
    CloseRequestForm,
    NoteForm,
    ServiceDeliveredForm,
    ServiceForm,
)
from ..models import Case, CaseService, Person
from ._base import apply_errors, area_required, get_visible, render_form


@area_required
@require_http_methods(["GET", "POST"])
def case_create(request: StaffRequest, pk: int) -> HttpResponse:
    person = get_visible(request, Person.objects.all(), pk)
    form = CaseForm(
        request.POST or None,
        agency_id=person.agency_id,
        initial={"opened_on": timezone.localdate(), "assigned_to": request.user.pk},
    )
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_open(
                membership=request.membership, person=person, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("survivors:case-detail", pk=case.pk)
    return render_form(
        request,
        form,
        title=_("Open a case for %(ref)s") % {"ref": person.reference},
        submit=_("Open the case"),
        back=reverse("survivors:person-detail", args=[person.pk]),
        person=person,
    )


@area_required
def case_detail(request: StaffRequest, pk: int) -> HttpResponse:
    membership = request.membership
    case = get_visible(
        request,
        Case.objects.select_related(
            "person", "assigned_to", "close_requested_by", "close_approved_by"
        ),
        pk,
    )
    access.record_view(membership, case)
    return render(
        request,
        "survivors/case_detail.html",
        {
            "case": case,
            "person": case.person,
            "services": case.services.select_related("provider__agency", "recorded_by"),
            "notes": case.notes.select_related("author"),
            "note_form": NoteForm(),
            "close_form": CloseRequestForm(),
            "delivered_form": ServiceDeliveredForm(initial={"delivered_on": timezone.localdate()}),
            "can_change": access.can(membership, "change", case) and case.is_open,
            "can_decide": case.status == CaseStatus.CLOSE_REQUESTED
            and services.can_approve_close(membership, case),
            "show_case": "case" in access.categories(membership, case),
            "planned": ServiceStatus.PLANNED,
        },
    )


@area_required
@require_http_methods(["GET", "POST"])
def case_edit(request: StaffRequest, pk: int) -> HttpResponse:
    case = get_visible(request, Case.objects.select_related("person"), pk, "change")
    form = CaseEditForm(
        request.POST or None,
        agency_id=case.agency_id,
        initial={
            "needs": case.needs,
            "goals": case.goals,
            "safety_plan": case.safety_plan,
            "assigned_to": case.assigned_to_id,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.case_update(membership=request.membership, case=case, values=form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("survivors:case-detail", pk=case.pk)
    return render_form(
        request,
        form,
        title=_("Needs, goals and safety plan"),
        submit=_("Save"),
        back=reverse("survivors:case-detail", args=[case.pk]),
        person=case.person,
    )


@area_required
@require_http_methods(["GET", "POST"])
def service_create(request: StaffRequest, pk: int) -> HttpResponse:
    case = get_visible(request, Case.objects.select_related("person"), pk, "change")
    form = ServiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_service_add(membership=request.membership, case=case, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("survivors:case-detail", pk=case.pk)
    return render_form(
        request,
        form,
        title=_("Plan or log a service"),
        submit=_("Save"),
        back=reverse("survivors:case-detail", args=[case.pk]),
        person=case.person,
    )


@area_required
@require_POST
def service_delivered(request: StaffRequest, pk: int) -> HttpResponse:
    service = get_visible(request, CaseService.objects.all(), pk, "change")
    form = ServiceDeliveredForm(request.POST)
    if form.is_valid():
        services.case_service_set_status(
            membership=request.membership,
            service=service,
            status=ServiceStatus.DELIVERED,
            delivered_on=form.cleaned_data["delivered_on"],
        )
    return redirect("survivors:case-detail", pk=service.case_id)


@area_required
@require_POST
def note_create(request: StaffRequest, pk: int) -> HttpResponse:
    case = get_visible(request, Case.objects.all(), pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        services.case_note_add(
            membership=request.membership, case=case, body=form.cleaned_data["body"]
        )
    return redirect("survivors:case-detail", pk=case.pk)


@area_required
@require_POST
def case_close_request(request: StaffRequest, pk: int) -> HttpResponse:
    case = get_visible(request, Case.objects.select_related("person"), pk, "change")
    form = CloseRequestForm(request.POST)
    if form.is_valid():
        try:
            services.case_request_close(
                membership=request.membership,
                case=case,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return redirect("survivors:case-detail", pk=case.pk)


@area_required
@require_POST
def case_close_decide(request: StaffRequest, pk: int) -> HttpResponse:
    case = get_visible(request, Case.objects.all(), pk)
    if not services.can_approve_close(request.membership, case):
        raise PermissionDenied
    services.case_decide_close(
        membership=request.membership, case=case, approve=request.POST.get("decision") == "approve"
    )
    return redirect("survivors:case-detail", pk=case.pk)
