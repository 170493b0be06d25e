"""Staff pages of referrals, at /staff/referrals/: the inbox of the receiving agency, what
the agency sent, sending (with the consent check), and answering. Thin: the engine decides
what is shown, services decide what may change."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safeharbor.core import permissions as engine
from safeharbor.core.decorators import requires
from safeharbor.core.forms import apply_errors
from safeharbor.core.http import StaffRequest
from safeharbor.core.paging import paginate
from safeharbor.survivors.choices import DataCategory

from . import selectors, services
from .choices import ReferralState
from .forms import DeclineForm, NoteForm, ReferralForm, ReferralSettingsForm
from .models import Referral, ReferralEvent


def _referral(request: StaffRequest, pk: int, action: str = "view") -> Referral:
    return get_object_or_404(
        Referral.objects.visible_to(request.membership, action).select_related(
            "agency", "to_agency", "to_program", "created_by", "accepted_by"
        ),
        pk=pk,
    )


@requires("referrals.referral.view")
def index(request: StaffRequest) -> HttpResponse:
    membership = request.membership
    reference = request.GET.get("reference", "").strip().upper()
    if reference:
        from safeharbor.survivors.models import Person

        person = (
            Person.objects.visible_to(membership)
            .filter(agency_id=membership.agency_id, reference=reference)
            .first()
        )
        if person is not None and engine.role_allows(membership, "referrals.referral.add"):
            return redirect("referrals:new", person_pk=person.pk)
        messages.error(request, _("No record of your agency has that reference."))
    state = request.GET.get("state", "")
    received = selectors.inbox(membership)
    sent = selectors.sent(membership)
    if state in ReferralState.values:
        received, sent = received.filter(state=state), sent.filter(state=state)
    received_pages = paginate(request, received, "received_page")
    sent_pages = paginate(request, sent, "sent_page")
    received_rows, sent_rows = received_pages.rows, sent_pages.rows
    engine.record_list(membership, Referral, count=len(received_rows) + len(sent_rows))
    return render(
        request,
        "referrals/index.html",
        {
            "received": received_rows,
            "sent": sent_rows,
            "received_pages": received_pages,
            "sent_pages": sent_pages,
            "states": ReferralState.choices,
            "state": state,
        },
    )


def _send(request: StaffRequest, person: Any, *, contact: Any = None) -> HttpResponse:
    membership = request.membership
    form = ReferralForm(request.POST or None, membership=membership, person=person)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        to_program = data["to_program"]
        try:
            referral = services.referral_send(
                membership=membership,
                person=person,
                to_agency=to_program.agency if to_program else data["to_agency"],
                to_program=to_program,
                reason=data["reason"],
                urgency=data["urgency"],
                categories=data["categories"],
                consent=data["consent"],
                contact=contact,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Referral %(number)s sent. The receiving agency has been told.")
                % {"number": referral.number},
            )
            return redirect("referrals:detail", pk=referral.pk)
    return render(
        request,
        "referrals/form.html",
        {
            "form": form,
            "person": person,
            "contact": contact,
            "title": _("Refer %(reference)s") % {"reference": person.reference},
        },
    )


@requires("referrals.referral.add")
def referral_new(request: StaffRequest, person_pk: int) -> HttpResponse:
    from safeharbor.survivors.models import Person

    person = get_object_or_404(
        Person.objects.visible_to(request.membership).filter(
            agency_id=request.membership.agency_id
        ),
        pk=person_pk,
    )
    return _send(request, person)


@requires("referrals.referral.add")
def referral_from_contact(request: StaffRequest, contact_pk: int) -> HttpResponse:
    """The referral form a victim contact opens when a referral was made."""
    from safeharbor.enforcement.models import Contact

    contact = get_object_or_404(
        Contact.objects.visible_to(request.membership).select_related("person", "operation"),
        pk=contact_pk,
        role="victim",
    )
    if contact.person is None:
        messages.info(request, _("Link the contact to a person first, then refer them."))
        return redirect("enforcement:contact", pk=contact.pk)
    if contact.referral_id is not None:
        return redirect("referrals:detail", pk=contact.referral_id)
    return _send(request, contact.person, contact=contact)


@requires("referrals.referral.view")
def referral_detail(request: StaffRequest, pk: int) -> HttpResponse:
    referral = _referral(request, pk)
    membership = request.membership
    engine.record_view(membership, referral)
    received = referral.to_agency_id == membership.agency_id
    events = list(
        ReferralEvent.objects.visible_to(membership)
        .filter(referral=referral)
        .select_related("by", "by_agency")
    )
    pending = referral.state == ReferralState.PENDING
    return render(
        request,
        "referrals/detail.html",
        {
            "referral": referral,
            "events": events,
            "received": received,
            "categories": engine.visible_categories(membership, referral),
            "shared_labels": [
                DataCategory(c).label if c in DataCategory.values else c
                for c in referral.categories
            ],
            "can_answer": received and pending and engine.can(membership, "accept", referral),
            "can_withdraw": not received
            and pending
            and engine.can(membership, "withdraw", referral),
            "can_complete": received
            and referral.state == ReferralState.ACCEPTED
            and engine.can(membership, "complete", referral),
            "decline_form": DeclineForm(),
            "note_form": NoteForm(),
        },
    )


def _act(request: StaffRequest, pk: int, action: str, call: Callable[[Referral], Any], ok: str):
    referral = _referral(request, pk, action)
    try:
        call(referral)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, ok)
    if Referral.objects.visible_to(request.membership).filter(pk=pk).exists():
        return redirect("referrals:detail", pk=pk)
    return redirect("referrals:index")


@require_POST
@requires("referrals.referral.accept")
def referral_accept(request: StaffRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "accept",
        lambda r: services.referral_accept(membership=request.membership, referral=r),
        _("Referral accepted. Your agency's own record and case are open."),
    )


@require_POST
@requires("referrals.referral.decline")
def referral_decline(request: StaffRequest, pk: int) -> HttpResponse:
    form = DeclineForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _act(
        request,
        pk,
        "decline",
        lambda r: services.referral_decline(
            membership=request.membership, referral=r, reason=reason
        ),
        _("Referral declined. The referring agency has been told."),
    )


@require_POST
@requires("referrals.referral.withdraw")
def referral_withdraw(request: StaffRequest, pk: int) -> HttpResponse:
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    return _act(
        request,
        pk,
        "withdraw",
        lambda r: services.referral_withdraw(membership=request.membership, referral=r, note=note),
        _("Referral withdrawn."),
    )


@require_POST
@requires("referrals.referral.complete")
def referral_complete(request: StaffRequest, pk: int) -> HttpResponse:
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    return _act(
        request,
        pk,
        "complete",
        lambda r: services.referral_complete(membership=request.membership, referral=r, note=note),
        _("Referral completed. Access to the referring record has ended."),
    )


@requires("accounts.agency.change")
def referral_settings(request: StaffRequest) -> HttpResponse:
    membership = request.membership
    current = selectors.settings_for(membership.agency)
    form = ReferralSettingsForm(
        request.POST or None,
        initial={key: value for key, value in current.items() if key != "agency"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_settings_update(membership=membership, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Referral settings saved."))
            return redirect(reverse("referrals:settings"))
    return render(request, "referrals/settings.html", {"form": form})
