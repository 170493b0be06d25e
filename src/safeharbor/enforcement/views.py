"""Staff pages of the police unit, at /staff/enforcement/. Thin: the permission engine
decides what is listed and opened, forms validate, services write."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, Prefetch, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from safeharbor.core import permissions as engine
from safeharbor.core.decorators import requires
from safeharbor.core.forms import apply_errors
from safeharbor.core.http import StaffRequest
from safeharbor.core.paging import paginate

from . import selectors, services
from .choices import ContactRole, ReferralDecision
from .forms import (
    ArrestForm,
    ChargeForm,
    ChargeStatusForm,
    ContactForm,
    FollowUpForm,
    InvestigationForm,
    InvestigationStatusForm,
    OperationForm,
    PeriodForm,
    SubjectForm,
    UnitMemberForm,
)
from .models import Arrest, Charge, Contact, FollowUp, Investigation, Operation, Subject, UnitMember


def _open(request: StaffRequest, queryset: QuerySet, pk: int, action: str = "view") -> Any:
    """One record the membership may ``action`` (404 otherwise); views are audited."""
    obj = get_object_or_404(queryset.visible_to(request.membership, action), pk=pk)
    if action == "view":
        engine.record_view(request.membership, obj)
    return obj


def _list(request: StaffRequest, model: type[Model], rows: list[Any]) -> list[Any]:
    engine.record_list(request.membership, model, count=len(rows))
    return rows


def _form_page(request: StaffRequest, form: Any, *, title: str, submit: str, back: str, **extra):
    return render(
        request,
        "enforcement/form.html",
        {"form": form, "title": title, "submit": submit, "back": back, **extra},
    )


def _can(request: StaffRequest, code: str) -> bool:
    return engine.role_allows(request.membership, code)


# Overview -----------------------------------------------------------------------------------


@requires("enforcement.operation.view")
def index(request: StaffRequest) -> HttpResponse:
    period = PeriodForm(request.GET or None)
    start = end = None
    if period.is_valid():
        start, end = period.cleaned_data["start"], period.cleaned_data["end"]
    operations = selectors.operations_for(request.membership)
    if start:
        operations = operations.filter(started_on__gte=start)
    if end:
        operations = operations.filter(started_on__lte=end)
    rows = _list(request, Operation, list(operations[:200]))
    figures = selectors.unit_figures(request.membership, start=start, end=end)
    return render(
        request,
        "enforcement/index.html",
        {
            "operations": rows,
            "figures": figures,
            "period": period,
            "can_add": _can(request, "enforcement.operation.add"),
        },
    )


# Operations ---------------------------------------------------------------------------------


@requires("enforcement.operation.add")
def operation_new(request: StaffRequest) -> HttpResponse:
    form = OperationForm(
        request.POST or None,
        membership=request.membership,
        initial={"lead": request.user, "started_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            operation = services.operation_create(
                membership=request.membership, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Operation recorded."))
            return redirect("enforcement:operation", pk=operation.pk)
    return _form_page(
        request,
        form,
        title=_("Record an operation"),
        submit=_("Save operation"),
        back=reverse("enforcement:index"),
    )


@requires("enforcement.operation.view")
def operation_detail(request: StaffRequest, pk: int) -> HttpResponse:
    operation = _open(request, Operation.objects.select_related("lead", "agency"), pk)
    contact_pages = paginate(
        request,
        Contact.objects.visible_to(request.membership)
        .filter(operation=operation)
        .select_related("subject", "program_informed")
        .order_by("-contacted_at", "-id"),
        "contacts_page",
    )
    arrest_pages = paginate(
        request,
        Arrest.objects.visible_to(request.membership)
        .filter(operation=operation)
        .select_related("subject", "arresting_officer")
        .prefetch_related("charges"),
        "arrests_page",
    )
    figures = selectors.unit_figures(
        request.membership, operations=Operation.objects.filter(pk=operation.pk)
    )
    return render(
        request,
        "enforcement/operation_detail.html",
        {
            "operation": operation,
            "participants": list(operation.participants.all()),
            "contacts": contact_pages.rows,
            "contact_pages": contact_pages,
            "arrests": arrest_pages.rows,
            "arrest_pages": arrest_pages,
            "figures": figures,
            "categories": engine.visible_categories(request.membership, operation),
            "can_change": engine.can(request.membership, "change", operation),
            "can_add_contact": engine.can(request.membership, "add", Contact(operation=operation)),
        },
    )


@requires("enforcement.operation.change")
def operation_edit(request: StaffRequest, pk: int) -> HttpResponse:
    operation = _open(request, Operation.objects.all(), pk, "change")
    initial = {
        f: getattr(operation, f)
        for f in [
            "name",
            "kind",
            "started_on",
            "ended_on",
            "general_area",
            "status",
            "lead",
            "after_action_summary",
        ]
    }
    initial["participants"] = list(operation.participants.all())
    form = OperationForm(request.POST or None, membership=request.membership, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        participants = data.pop("participants")
        try:
            services.operation_update(
                membership=request.membership,
                operation=operation,
                values=data,
                participants=participants,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Operation updated."))
            return redirect("enforcement:operation", pk=operation.pk)
    return _form_page(
        request,
        form,
        title=_("Change the operation"),
        submit=_("Save changes"),
        back=reverse("enforcement:operation", args=[operation.pk]),
    )


# Contacts -----------------------------------------------------------------------------------


def _person_search(request: StaffRequest, query: str) -> dict[int, str]:
    """The agency's people matching a name, alias, reference, date of birth or phone (the
    survivors area's search), as {id: label}; the name only where identity may be seen."""
    from safeharbor.survivors.models import Person
    from safeharbor.survivors.selectors import PersonFilters, people_list

    membership = request.membership
    matches = list(
        people_list(membership=membership, filters=PersonFilters(q=query)).filter(
            agency_id=membership.agency_id
        )[:20]
    )
    engine.record_list(membership, Person, count=len(matches))
    categories = engine.visible_categories_many(membership, matches)
    return {
        p.pk: f"{p.reference} — {p.display_name}"
        if "identity" in categories.get(p.pk, ()) and p.display_name
        else p.reference
        for p in matches
    }


@requires("enforcement.contact.add")
def contact_new(request: StaffRequest, pk: int) -> HttpResponse:
    operation = _open(request, Operation.objects.select_related("agency"), pk, "view")
    program = operation.agency.designated_program
    query = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    matches = _person_search(request, query) if query else None
    form = ContactForm(
        request.POST or None,
        membership=request.membership,
        program=program,
        person_choices=matches or None,
        allow_new_person=_can(request, "survivors.person.add"),
        initial={"contacted_at": timezone.localtime().replace(second=0, microsecond=0)},
    )
    if request.method == "POST" and form.is_valid():
        values, new_person = form.split_new_person()
        try:
            contact = services.contact_record(
                membership=request.membership,
                operation=operation,
                new_person=new_person,
                **values,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Contact recorded."))
            if (
                contact.role == ContactRole.VICTIM
                and contact.referral_decision == ReferralDecision.MADE
            ):
                next_url = _referral_form_for(contact)
                if next_url:
                    return redirect(next_url)
            return redirect("enforcement:operation", pk=operation.pk)
    return render(
        request,
        "enforcement/contact_form.html",
        {
            "form": form,
            "title": _("Record a contact"),
            "submit": _("Save contact"),
            "back": reverse("enforcement:operation", args=[operation.pk]),
            "intro": _(
                "Every victim contact records that information about %(program)s was given, "
                "and whether a referral was made or declined."
            )
            % {"program": program.name if program else _("the designated survivor program")},
            "query": query,
            "matches": matches,
            "can_add_person": _can(request, "survivors.person.add"),
        },
    )


def _referral_form_for(contact: Contact) -> str | None:
    """Where to make the referral of a victim contact, when the referrals area can."""
    try:
        return reverse("referrals:new-from-contact", args=[contact.pk])
    except Exception:  # the referrals area does not offer it yet
        return None


@requires("enforcement.contact.view")
def contact_detail(request: StaffRequest, pk: int) -> HttpResponse:
    contact = _open(
        request,
        Contact.objects.select_related("operation", "subject", "program_informed"),
        pk,
    )
    follow_ups = list(FollowUp.objects.visible_to(request.membership).filter(contact=contact))
    can_follow_up = engine.can(request.membership, "add", FollowUp(contact=contact))
    form = FollowUpForm(request.POST or None, initial={"occurred_on": timezone.localdate()})
    if request.method == "POST":
        if not can_follow_up:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.follow_up_record(
                    membership=request.membership, contact=contact, **form.cleaned_data
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Follow-up added."))
                return redirect("enforcement:contact", pk=contact.pk)
    return render(
        request,
        "enforcement/contact_detail.html",
        {
            "contact": contact,
            "follow_ups": follow_ups,
            "form": form if can_follow_up else None,
            "categories": engine.visible_categories(request.membership, contact),
        },
    )


# Subjects, arrests, charges -----------------------------------------------------------------


@requires("enforcement.subject.view")
def subject_list(request: StaffRequest) -> HttpResponse:
    subjects = _list(request, Subject, list(selectors.subjects_for(request.membership)[:200]))
    return render(
        request,
        "enforcement/subject_list.html",
        {"subjects": subjects, "can_add": _can(request, "enforcement.subject.add")},
    )


@requires("enforcement.subject.add")
def subject_new(request: StaffRequest) -> HttpResponse:
    form = SubjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            subject = services.subject_create(membership=request.membership, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Subject recorded as %(ref)s.") % {"ref": subject})
            return redirect("enforcement:subject", pk=subject.pk)
    return _form_page(
        request,
        form,
        title=_("Record a subject"),
        submit=_("Save subject"),
        back=reverse("enforcement:subjects"),
        intro=_("Buyers and exploiters only. Survivors are never recorded as subjects."),
    )


@requires("enforcement.subject.view")
def subject_detail(request: StaffRequest, pk: int) -> HttpResponse:
    subject = _open(request, Subject.objects.all(), pk)
    arrests = list(
        Arrest.objects.visible_to(request.membership)
        .filter(subject=subject)
        .select_related("operation", "arresting_officer")
        .prefetch_related(Prefetch("charges", queryset=Charge.objects.order_by("id")))
    )
    can_arrest = engine.can(request.membership, "add", Arrest(subject=subject))
    form = ArrestForm(
        request.POST or None,
        membership=request.membership,
        initial={"arresting_officer": request.user},
    )
    if request.method == "POST":
        if not can_arrest:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.arrest_record(
                    membership=request.membership, subject=subject, **form.cleaned_data
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Arrest recorded."))
                return redirect("enforcement:subject", pk=subject.pk)
    return render(
        request,
        "enforcement/subject_detail.html",
        {
            "subject": subject,
            "arrests": arrests,
            "form": form if can_arrest else None,
            "categories": engine.visible_categories(request.membership, subject),
        },
    )


@requires("enforcement.charge.add")
def charge_new(request: StaffRequest, pk: int) -> HttpResponse:
    arrest = _open(request, Arrest.objects.select_related("subject"), pk)
    form = ChargeForm(request.POST or None, initial={"charged_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.charge_file(membership=request.membership, arrest=arrest, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Charge recorded."))
            return redirect("enforcement:subject", pk=arrest.subject_id)
    return _form_page(
        request,
        form,
        title=_("Add a charge"),
        submit=_("Save charge"),
        back=reverse("enforcement:subject", args=[arrest.subject_id]),
    )


@requires("enforcement.charge.change")
def charge_status(request: StaffRequest, pk: int) -> HttpResponse:
    charge = _open(request, Charge.objects.select_related("arrest"), pk, "change")
    form = ChargeStatusForm(request.POST or None, initial={"status": charge.status})
    if request.method == "POST" and form.is_valid():
        services.charge_set_status(
            membership=request.membership, charge=charge, status=form.cleaned_data["status"]
        )
        messages.success(request, _("Charge updated."))
        return redirect("enforcement:subject", pk=charge.arrest.subject_id)
    return _form_page(
        request,
        form,
        title=_("What became of the charge %(citation)s") % {"citation": charge.citation},
        submit=_("Save"),
        back=reverse("enforcement:subject", args=[charge.arrest.subject_id]),
    )


# Investigations -----------------------------------------------------------------------------


@requires("enforcement.investigation.view")
def investigation_list(request: StaffRequest) -> HttpResponse:
    rows = _list(
        request,
        Investigation,
        list(selectors.investigations_for(request.membership)[:200]),
    )
    return render(
        request,
        "enforcement/investigation_list.html",
        {"investigations": rows, "can_add": _can(request, "enforcement.investigation.add")},
    )


@requires("enforcement.investigation.add")
def investigation_new(request: StaffRequest) -> HttpResponse:
    form = InvestigationForm(
        request.POST or None,
        membership=request.membership,
        initial={"lead_detective": request.user, "opened_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            investigation = services.investigation_open(
                membership=request.membership, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Investigation opened."))
            return redirect("enforcement:investigation", pk=investigation.pk)
    return _form_page(
        request,
        form,
        title=_("Open an investigation"),
        submit=_("Open investigation"),
        back=reverse("enforcement:investigations"),
    )


@requires("enforcement.investigation.view")
def investigation_detail(request: StaffRequest, pk: int) -> HttpResponse:
    investigation = _open(request, Investigation.objects.select_related("lead_detective"), pk)
    can_change = engine.can(request.membership, "change", investigation)
    form = InvestigationStatusForm(
        request.POST or None,
        initial={"status": investigation.status, "closed_on": investigation.closed_on},
    )
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.investigation_update(
                    membership=request.membership,
                    investigation=investigation,
                    values=form.cleaned_data,
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Investigation updated."))
                return redirect("enforcement:investigation", pk=investigation.pk)
    membership = request.membership
    return render(
        request,
        "enforcement/investigation_detail.html",
        {
            "investigation": investigation,
            "detectives": list(investigation.detectives.all()),
            "operations": list(investigation.operations.visible_to(membership)),
            "subjects": list(investigation.subjects.visible_to(membership)),
            "arrests": list(investigation.arrests.visible_to(membership).select_related("subject")),
            "form": form if can_change else None,
            "categories": engine.visible_categories(membership, investigation),
        },
    )


# Roster -------------------------------------------------------------------------------------


@requires("enforcement.unitmember.view")
def roster(request: StaffRequest) -> HttpResponse:
    members = _list(
        request,
        UnitMember,
        list(UnitMember.objects.visible_to(request.membership).select_related("user")),
    )
    can_add = _can(request, "enforcement.unitmember.add")
    form = UnitMemberForm(request.POST or None, membership=request.membership)
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.unit_member_add(membership=request.membership, **form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Added to the roster."))
                return redirect("enforcement:roster")
    return render(
        request,
        "enforcement/roster.html",
        {"members": members, "form": form if can_add else None},
    )
