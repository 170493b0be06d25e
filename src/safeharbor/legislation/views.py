"""Staff pages of the legislation area, under /staff/legislation/. Views validate input, call
a service and render; permissions are ``legislation.<model>.<action>`` on the active
membership."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safeharbor.core.forms import apply_errors

from . import services
from .choices import Stance
from .forms import (
    ActionForm,
    AgendaItemForm,
    BillForm,
    ImportForm,
    JurisdictionForm,
    NoteForm,
    PositionForm,
    PriorityForm,
    ProposalForm,
    SessionForm,
    StatuteForm,
)
from .importer import ImportRefused, import_bills
from .models import (
    AgendaItem,
    Bill,
    Jurisdiction,
    LegislativeSession,
    Priority,
    Proposal,
    Statute,
)
from .selectors import bill_detail_queryset, bill_list, is_watching, summarize


def permission_required(code: str) -> Callable[[Callable[..., HttpResponse]], Any]:
    """The active membership must allow ``code`` (e.g. ``legislation.bill.view``)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            membership = getattr(request, "membership", None)
            if membership is None or not membership.has_perm(code):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _may(request: HttpRequest, code: str) -> bool:
    membership = getattr(request, "membership", None)
    return membership is not None and membership.has_perm(code)


def _form_page(
    request: HttpRequest, form: Any, *, title: str, submit: str, back: str
) -> HttpResponse:
    return render(
        request,
        "legislation/form.html",
        {"form": form, "title": title, "submit": submit, "back": back},
    )


# Bills ----------------------------------------------------------------------------------------


@permission_required("legislation.bill.view")
def bill_list_view(request: HttpRequest) -> HttpResponse:
    session_id = request.GET.get("session", "")
    stance = request.GET.get("stance", "")
    q = request.GET.get("q", "").strip()[:100]
    bills = bill_list(
        session_id=int(session_id) if session_id.isdigit() else None,
        stance=stance if stance in {*Stance.values, "none"} else "",
        q=q,
    )
    rows = [(summarize(bill), is_watching(bill, request.user.pk)) for bill in bills[:500]]
    return render(
        request,
        "legislation/bill_list.html",
        {
            "rows": rows,
            "sessions": LegislativeSession.objects.select_related("jurisdiction"),
            "stances": Stance.choices,
            "filters": {"session": session_id, "stance": stance, "q": q},
            "may_add": _may(request, "legislation.bill.add"),
        },
    )


@permission_required("legislation.bill.view")
def bill_detail(request: HttpRequest, pk: int) -> HttpResponse:
    bill = get_object_or_404(bill_detail_queryset(), pk=pk)
    return render(request, "legislation/bill_detail.html", _bill_context(request, bill))


def _bill_context(request: HttpRequest, bill: Bill, **forms: Any) -> dict[str, Any]:
    position = getattr(bill, "position", None) if hasattr(bill, "position") else None
    agenda = AgendaItem.objects.filter(bill=bill).select_related("event")
    return {
        "bill": bill,
        "summary": summarize(bill),
        "position": position,
        "watching": is_watching(bill, request.user.pk),
        "watchers": [w.user for w in bill.watches.all()],
        "agenda_items": agenda,
        "action_form": forms.get("action_form") or ActionForm(),
        "position_form": forms.get("position_form")
        or PositionForm(instance=position, initial={"owner": request.user.pk}),
        "note_form": forms.get("note_form") or NoteForm(),
        "agenda_form": forms.get("agenda_form") or AgendaItemForm(),
        "may_change": _may(request, "legislation.bill.change"),
        "may_add_action": _may(request, "legislation.billaction.add"),
        "may_position": _may(request, "legislation.billposition.change"),
        "may_note": _may(request, "legislation.billnote.add"),
        "may_agenda": _may(request, "legislation.agendaitem.add"),
    }


def _rerender(request: HttpRequest, bill: Bill, **forms: Any) -> HttpResponse:
    bill = get_object_or_404(bill_detail_queryset(), pk=bill.pk)
    return render(
        request, "legislation/bill_detail.html", _bill_context(request, bill, **forms), status=400
    )


@permission_required("legislation.bill.add")
def bill_create(request: HttpRequest) -> HttpResponse:
    form = BillForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            bill = services.bill_save(actor=request.user, **form.service_values())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Bill added."))
            return redirect(bill)
    return _form_page(
        request,
        form,
        title=_("Add a bill"),
        submit=_("Add bill"),
        back="legislation:bill-list",
    )


@permission_required("legislation.bill.change")
def bill_edit(request: HttpRequest, pk: int) -> HttpResponse:
    bill = get_object_or_404(Bill, pk=pk)
    form = BillForm(request.POST or None, instance=bill)
    if request.method == "POST" and form.is_valid():
        try:
            services.bill_save(actor=request.user, bill=bill, **form.service_values())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Bill saved."))
            return redirect(bill)
    return _form_page(
        request,
        form,
        title=_("Change %(bill)s") % {"bill": bill.identifier},
        submit=_("Save"),
        back="legislation:bill-list",
    )


@permission_required("legislation.billaction.add")
@require_POST
def bill_action_add(request: HttpRequest, pk: int) -> HttpResponse:
    bill = get_object_or_404(Bill, pk=pk)
    form = ActionForm(request.POST)
    if form.is_valid():
        try:
            services.bill_action_add(actor=request.user, bill=bill, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Action recorded. People watching this bill were told."))
            return redirect(bill)
    return _rerender(request, bill, action_form=form)


@permission_required("legislation.billposition.change")
@require_POST
def bill_position(request: HttpRequest, pk: int) -> HttpResponse:
    bill = get_object_or_404(Bill, pk=pk)
    form = PositionForm(request.POST, instance=getattr(bill, "position", None))
    if form.is_valid():
        try:
            services.bill_position_set(actor=request.user, bill=bill, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Position saved."))
            return redirect(bill)
    return _rerender(request, bill, position_form=form)


@permission_required("legislation.billnote.add")
@require_POST
def bill_note_add(request: HttpRequest, pk: int) -> HttpResponse:
    bill = get_object_or_404(Bill, pk=pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        services.bill_note_add(actor=request.user, bill=bill, body=form.cleaned_data["body"])
        messages.success(request, _("Note added."))
        return redirect(bill)
    return _rerender(request, bill, note_form=form)


@permission_required("legislation.bill.view")
@require_POST
def bill_watch(request: HttpRequest, pk: int) -> HttpResponse:
    bill = get_object_or_404(Bill, pk=pk)
    if request.POST.get("watch") == "off":
        services.bill_unwatch(actor=request.user, bill=bill)
        messages.success(request, _("You no longer watch this bill."))
    else:
        services.bill_watch(actor=request.user, bill=bill)
        messages.success(request, _("You will be told in SafeHarbor when this bill moves."))
    return redirect(bill)


@permission_required("legislation.agendaitem.add")
@require_POST
def agenda_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    bill = get_object_or_404(Bill, pk=pk)
    form = AgendaItemForm(request.POST)
    if form.is_valid():
        try:
            services.agenda_item_add(actor=request.user, bill=bill, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The bill is on the event's agenda."))
            return redirect(bill)
    return _rerender(request, bill, agenda_form=form)


@permission_required("legislation.agendaitem.delete")
@require_POST
def agenda_item_remove(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(AgendaItem.objects.select_related("bill"), pk=pk)
    services.agenda_item_remove(actor=request.user, item=item)
    messages.success(request, _("Taken off the agenda."))
    return redirect(item.bill)


@permission_required("legislation.bill.add")
def bill_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    refused = None
    if request.method == "POST" and form.is_valid():
        jurisdiction = form.cleaned_data["jurisdiction"]
        try:
            report = import_bills(
                actor=request.user,
                raw=form.cleaned_data["file"].read(),
                default_jurisdiction=jurisdiction.ocd_id if jurisdiction else "",
            )
        except ImportRefused as error:
            refused = error
    return render(
        request,
        "legislation/import.html",
        {"form": form, "report": report, "refused": refused},
        status=400 if refused else 200,
    )


# Statutes, jurisdictions and sessions ---------------------------------------------------------


@permission_required("legislation.statute.view")
def statute_list(request: HttpRequest) -> HttpResponse:
    statutes = Statute.objects.select_related("jurisdiction").prefetch_related("proposals")
    return render(
        request,
        "legislation/statute_list.html",
        {"statutes": statutes, "may_add": _may(request, "legislation.statute.add")},
    )


def _statute_values(form: StatuteForm) -> dict[str, Any]:
    return dict(form.cleaned_data)


@permission_required("legislation.statute.add")
def statute_create(request: HttpRequest) -> HttpResponse:
    form = StatuteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.statute_save(actor=request.user, **_statute_values(form))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Statute added."))
            return redirect("legislation:statute-list")
    return _form_page(
        request,
        form,
        title=_("Add a statute"),
        submit=_("Add statute"),
        back="legislation:statute-list",
    )


@permission_required("legislation.statute.change")
def statute_edit(request: HttpRequest, pk: int) -> HttpResponse:
    statute = get_object_or_404(Statute, pk=pk)
    form = StatuteForm(request.POST or None, instance=statute)
    if request.method == "POST" and form.is_valid():
        try:
            services.statute_save(actor=request.user, statute=statute, **_statute_values(form))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Statute saved."))
            return redirect("legislation:statute-list")
    return _form_page(
        request,
        form,
        title=_("Change %(citation)s") % {"citation": statute.citation},
        submit=_("Save"),
        back="legislation:statute-list",
    )


@permission_required("legislation.jurisdiction.view")
def jurisdiction_list(request: HttpRequest) -> HttpResponse:
    jurisdictions = Jurisdiction.objects.prefetch_related("sessions")
    return render(
        request,
        "legislation/jurisdiction_list.html",
        {
            "jurisdictions": jurisdictions,
            "may_add": _may(request, "legislation.jurisdiction.add"),
            "may_add_session": _may(request, "legislation.legislativesession.add"),
        },
    )


@permission_required("legislation.jurisdiction.add")
def jurisdiction_create(request: HttpRequest) -> HttpResponse:
    form = JurisdictionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.jurisdiction_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Jurisdiction added."))
            return redirect("legislation:jurisdiction-list")
    return _form_page(
        request,
        form,
        title=_("Add a jurisdiction"),
        submit=_("Add jurisdiction"),
        back="legislation:jurisdiction-list",
    )


@permission_required("legislation.legislativesession.add")
def session_create(request: HttpRequest) -> HttpResponse:
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Session added."))
            return redirect("legislation:jurisdiction-list")
    return _form_page(
        request,
        form,
        title=_("Add a legislative session"),
        submit=_("Add session"),
        back="legislation:jurisdiction-list",
    )


# Priorities and proposals ---------------------------------------------------------------------


def _priority_queryset() -> Any:
    return Priority.objects.select_related("session").prefetch_related(
        Prefetch("proposals", queryset=Proposal.objects.prefetch_related("statutes", "bills")),
        Prefetch("bills", queryset=Bill.objects.select_related("session", "position")),
    )


@permission_required("legislation.priority.view")
def priority_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "legislation/priority_list.html",
        {
            "priorities": _priority_queryset(),
            "may_add": _may(request, "legislation.priority.add"),
        },
    )


@permission_required("legislation.priority.view")
def priority_detail(request: HttpRequest, pk: int) -> HttpResponse:
    priority = get_object_or_404(_priority_queryset(), pk=pk)
    return render(
        request,
        "legislation/priority_detail.html",
        {"priority": priority, "may_change": _may(request, "legislation.priority.change")},
    )


def _priority_values(form: PriorityForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data["bills"] = list(data["bills"])
    return data


@permission_required("legislation.priority.add")
def priority_create(request: HttpRequest) -> HttpResponse:
    form = PriorityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            priority = services.priority_save(actor=request.user, **_priority_values(form))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Priority added. Now add its proposals."))
            return redirect(priority)
    return _form_page(
        request,
        form,
        title=_("Add a legislative priority"),
        submit=_("Add priority"),
        back="legislation:priority-list",
    )


@permission_required("legislation.priority.change")
def priority_edit(request: HttpRequest, pk: int) -> HttpResponse:
    priority = get_object_or_404(Priority, pk=pk)
    form = PriorityForm(request.POST or None, instance=priority)
    if request.method == "POST" and form.is_valid():
        try:
            services.priority_save(actor=request.user, priority=priority, **_priority_values(form))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Priority saved."))
            return redirect(priority)
    return _form_page(
        request,
        form,
        title=_("Change the priority"),
        submit=_("Save"),
        back="legislation:priority-list",
    )


def _proposal_values(form: ProposalForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data["statutes"] = list(data["statutes"])
    data["bills"] = list(data["bills"])
    return data


@permission_required("legislation.priority.change")
def proposal_create(request: HttpRequest, pk: int) -> HttpResponse:
    priority = get_object_or_404(Priority, pk=pk)
    form = ProposalForm(request.POST or None, initial={"order": priority.proposals.count()})
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_save(actor=request.user, priority=priority, **_proposal_values(form))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Proposal added."))
            return redirect(priority)
    return _form_page(
        request,
        form,
        title=_("Add a proposal"),
        submit=_("Add proposal"),
        back="legislation:priority-list",
    )


@permission_required("legislation.priority.change")
@require_POST
def proposal_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move up / move down buttons (plain forms, no JavaScript needed)."""
    proposal = get_object_or_404(Proposal.objects.select_related("priority"), pk=pk)
    try:
        services.proposal_move(
            actor=request.user, proposal=proposal, direction=request.POST.get("direction", "")
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Proposal moved."))
    return redirect(proposal.priority.get_absolute_url() + f"#proposal-{proposal.pk}")


@permission_required("legislation.priority.change")
def proposal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(Proposal.objects.select_related("priority"), pk=pk)
    form = ProposalForm(request.POST or None, instance=proposal)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_save(
                actor=request.user,
                priority=proposal.priority,
                proposal=proposal,
                **_proposal_values(form),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Proposal saved."))
            return redirect(proposal.priority)
    return _form_page(
        request,
        form,
        title=_("Change the proposal"),
        submit=_("Save"),
        back="legislation:priority-list",
    )
