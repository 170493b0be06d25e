"""People: list and search, detail, create, edit, emergency access."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from safeharbor.accounts.models import User
from safeharbor.audit.models import AuditEvent
from safeharbor.core.http import StaffRequest
from safeharbor.core.permissions import break_glass_open

from .. import access, selectors, services
from ..choices import JUVENILE_BANDS, CaseStatus
from ..forms import PersonForm, PersonSearchForm
from ..models import (
    Case,
    Consent,
    ConsentSigner,
    Identification,
    IdentificationStatusChange,
    MissingEpisode,
    Person,
    Screening,
)
from ._base import apply_errors, area_required, get_visible, render_form

PAGE_SIZE = 25


@area_required
def person_list(request: StaffRequest) -> HttpResponse:
    """Search and filters; a constant number of queries whatever the page holds."""
    form = PersonSearchForm(request.GET or None)
    filters = selectors.PersonFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.PersonFilters(
            q=data["q"],
            age_band=data["age_band"],
            identification_status=data["identification_status"],
            assigned_to_me=data["mine"],
            open_case={"yes": True, "no": False}.get(data["open_case"]),
        )
    people = selectors.people_list(membership=request.membership, filters=filters)
    ids = people.values_list("pk", flat=True)
    if filters.q:
        # A search finds few people: their ids in one query, instead of running the
        # search twice (once to count, once for the page).
        ids = list(ids)
    page = Paginator(ids, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.people_rows(list(page.object_list))
    access.record_list(request.membership, Person, count=len(page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "survivors/person_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "searched": bool(filters.q),
            "can_add": request.membership.has_perm("survivors.person.add"),
            "can_import": request.membership.has_perm("survivors.person.add"),
        },
    )


@area_required
@require_http_methods(["GET", "POST"])
def person_create(request: StaffRequest) -> HttpResponse:
    if not request.membership.has_perm("survivors.person.add"):
        raise PermissionDenied
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(membership=request.membership, values=form.to_values())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("survivors:person-detail", pk=person.pk)
    return render_form(
        request,
        form,
        title=_("Add a person"),
        submit=_("Save"),
        back=reverse("survivors:person-list"),
        intro=_(
            "Record only what the person chooses to share. Everything identifying is "
            "encrypted and seen only by people who work with them."
        ),
    )


@area_required
@require_http_methods(["GET", "POST"])
def person_edit(request: StaffRequest, pk: int) -> HttpResponse:
    person = get_visible(request, Person.objects.all(), pk, "change")
    form = PersonForm(request.POST or None, initial=PersonForm.initial_from(person))
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(
                membership=request.membership, person=person, values=form.to_values()
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("survivors:person-detail", pk=person.pk)
    return render_form(
        request,
        form,
        title=_("Change details of %(ref)s") % {"ref": person.reference},
        submit=_("Save changes"),
        back=reverse("survivors:person-detail", args=[person.pk]),
        person=person,
    )


def _history(person: Person) -> list[dict]:
    """Recent audit events about the person and their records (ids and actions only)."""
    events = list(
        AuditEvent.objects.filter(
            object_type="survivors.person", object_id=str(person.pk)
        ).order_by("-occurred_at", "-seq")[:20]
    )
    users = User.objects.in_bulk({e.actor_id for e in events if e.actor_id})
    return [{"event": e, "user": users.get(e.actor_id)} for e in events]


@area_required
def person_detail(request: StaffRequest, pk: int) -> HttpResponse:
    membership = request.membership
    person = access.visible(Person.objects.select_related("agency", "assigned_to"), membership)
    person = person.filter(pk=pk).first()
    if person is None:
        return _not_visible(request, pk)
    categories = access.categories(membership, person)
    access.record_view(membership, person)
    identifications = (
        Identification.objects.filter(person=person)
        .select_related("agency")
        .prefetch_related(
            Prefetch(
                "history",
                queryset=IdentificationStatusChange.objects.select_related("changed_by"),
            )
        )
    )
    consents = Consent.objects.filter(person=person).prefetch_related(
        "recipient_agencies",
        Prefetch("recipient_programs"),
        Prefetch("signers", queryset=ConsentSigner.objects.order_by("id")),
    )
    episodes = list(MissingEpisode.objects.filter(person=person))
    returned_without_screening = [
        e for e in episodes if e.returned_at and not e.return_screenings.exists()
    ]
    return render(
        request,
        "survivors/person_detail.html",
        {
            "person": person,
            "can_refer": _can_refer(membership, person),
            "show_identity": "identity" in categories,
            "show_case": "case" in categories,
            "identifications": identifications,
            "screenings": Screening.objects.filter(person=person).select_related("instrument"),
            "cases": Case.objects.filter(person=person).select_related("assigned_to"),
            "consents": consents,
            "episodes": episodes,
            "screen_after_return": returned_without_screening,
            "history": _history(person),
            "can_change": access.can(membership, "change", person),
            "is_juvenile": person.age_band in JUVENILE_BANDS,
            "open_cases": CaseStatus.CLOSED,
        },
    )


def _can_refer(membership: Any, person: Person) -> bool:
    """Whether the page offers to refer this person: only the agency's own records, and only
    when the engine lets the member create a referral (the referrals area's model)."""
    if person.agency_id != membership.agency_id:
        return False
    referral_model = apps.get_model("referrals", "Referral")
    return access.can(membership, "add", referral_model(agency_id=person.agency_id))


def _not_visible(request: StaffRequest, pk: int) -> HttpResponse:
    """An own-agency record outside the worker's scope can be opened with break-glass."""
    membership = request.membership
    person = get_object_or_404(Person, pk=pk, agency_id=membership.agency_id)
    if membership.effective_scope == "agency":
        raise PermissionDenied
    return render(
        request, "survivors/break_glass.html", {"person_id": person.pk, "error": ""}, status=403
    )


@area_required
@require_http_methods(["POST"])
def person_break_glass(request: StaffRequest, pk: int) -> HttpResponse:
    membership = request.membership
    person = get_object_or_404(Person, pk=pk, agency_id=membership.agency_id)
    try:
        break_glass_open(membership=membership, obj=person, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        return render(
            request,
            "survivors/break_glass.html",
            {"person_id": person.pk, "error": " ".join(exc.messages)},
            status=400,
        )
    return redirect("survivors:person-detail", pk=person.pk)
