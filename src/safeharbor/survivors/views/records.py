"""Identifications and screenings of a person."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from safeharbor.core.http import StaffRequest

from .. import access, services
from ..choices import IdentificationBasis, IdentificationStatus
from ..forms import IdentificationForm, IdentificationStatusForm, ScreeningForm
from ..models import Identification, MissingEpisode, Person, Screening
from ._base import apply_errors, area_required, get_visible, render_form


@area_required
@require_http_methods(["GET", "POST"])
def identification_create(request: StaffRequest, pk: int) -> HttpResponse:
    person = get_visible(request, Person.objects.all(), pk)
    screening = None
    if request.GET.get("screening"):
        screening = Screening.objects.filter(person=person, pk=request.GET["screening"]).first()
    initial = {"identified_on": timezone.localdate(), "status": IdentificationStatus.SUSPECTED}
    if screening is not None:
        initial.update(basis=IdentificationBasis.SCREENING, identified_on=screening.screened_on)
    form = IdentificationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.identification_record(
                membership=request.membership,
                person=person,
                screening=screening,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("survivors:person-detail", pk=person.pk)
    return render_form(
        request,
        form,
        title=_("Record an identification for %(ref)s") % {"ref": person.reference},
        submit=_("Record"),
        back=reverse("survivors:person-detail", args=[person.pk]),
        person=person,
    )


@area_required
@require_http_methods(["GET", "POST"])
def identification_status(request: StaffRequest, pk: int) -> HttpResponse:
    identification = get_visible(
        request, Identification.objects.select_related("person"), pk, "change"
    )
    form = IdentificationStatusForm(
        request.POST or None,
        initial={"changed_on": timezone.localdate(), "status": identification.status},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.identification_change_status(
                membership=request.membership,
                identification=identification,
                status=data["status"],
                changed_on=data["changed_on"],
                note=data["note"],
                trafficking_type=data["trafficking_type"] or None,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("survivors:person-detail", pk=identification.person_id)
    return render_form(
        request,
        form,
        title=_("Change the identification status"),
        submit=_("Save"),
        back=reverse("survivors:person-detail", args=[identification.person_id]),
        person=identification.person,
    )


@area_required
@require_http_methods(["GET", "POST"])
def screening_create(request: StaffRequest, pk: int) -> HttpResponse:
    person = get_visible(request, Person.objects.all(), pk)
    instruments = list(services.instruments_for(person.agency_id).order_by("slug", "-version"))
    chosen = next(
        (i for i in instruments if str(i.pk) == request.GET.get("instrument")),
        instruments[0] if instruments else None,
    )
    if chosen is None:
        return render(request, "survivors/no_instrument.html", {"person": person}, status=409)
    episode = None
    if request.GET.get("episode"):
        episode = MissingEpisode.objects.filter(person=person, pk=request.GET["episode"]).first()
    form = ScreeningForm(
        request.POST or None,
        definition=chosen.definition,
        initial={"screened_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            screening = services.screening_record(
                membership=request.membership,
                person=person,
                instrument=chosen,
                answers=form.answers(),
                screened_on=form.cleaned_data["screened_on"],
                note=form.cleaned_data["note"],
                missing_episode=episode,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("survivors:screening-detail", pk=screening.pk)
    return render(
        request,
        "survivors/screening_form.html",
        {
            "person": person,
            "form": form,
            "instrument": chosen,
            "instruments": instruments,
            "episode": episode,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@area_required
def screening_detail(request: StaffRequest, pk: int) -> HttpResponse:
    screening = get_visible(
        request, Screening.objects.select_related("person", "instrument", "screened_by"), pk
    )
    access.record_view(request.membership, screening)
    answers = screening.answers or {}
    domains = [
        {
            "label": domain["label"],
            "items": [
                {"text": item["text"], "answer": answers.get(item["key"], "unknown")}
                for item in domain["items"]
            ],
        }
        for domain in screening.instrument.definition["domains"]
    ]
    already = Identification.objects.filter(person=screening.person).exclude(
        status=IdentificationStatus.RULED_OUT
    )
    return render(
        request,
        "survivors/screening_detail.html",
        {
            "screening": screening,
            "person": screening.person,
            "domains": domains,
            "offer_identification": screening.suggests_identification and not already.exists(),
            "show_case": "case" in access.categories(request.membership, screening),
        },
    )
