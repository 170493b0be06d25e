"""Missing episodes: record, report to police and NCMEC, return (then screen)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from safeharbor.core.http import StaffRequest

from .. import access, services
from ..forms import MissingForm, ReportForm, ReturnForm
from ..models import MissingEpisode, Person
from ._base import apply_errors, area_required, get_visible, render_form


@area_required
@require_http_methods(["GET", "POST"])
def missing_create(request: StaffRequest, pk: int) -> HttpResponse:
    person = get_visible(request, Person.objects.all(), pk)
    form = MissingForm(
        request.POST or None,
        initial={"learned_at": timezone.localtime().replace(second=0, microsecond=0)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            episode = services.missing_episode_open(
                membership=request.membership, person=person, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("survivors:missing-detail", pk=episode.pk)
    return render_form(
        request,
        form,
        title=_("%(ref)s is missing") % {"ref": person.reference},
        submit=_("Record"),
        back=reverse("survivors:person-detail", args=[person.pk]),
        intro=_(
            "Report to police and to the National Center for Missing & Exploited Children "
            "within 24 hours of learning a young person is missing."
        ),
        person=person,
    )


def _page(request: StaffRequest, episode: MissingEpisode, **forms: object) -> HttpResponse:
    now = timezone.localtime().replace(second=0, microsecond=0)
    context = {
        "episode": episode,
        "person": episode.person,
        "now": timezone.now(),
        "police_form": ReportForm(prefix="police", initial={"reported_at": now}),
        "ncmec_form": ReportForm(prefix="ncmec", initial={"reported_at": now}),
        "return_form": ReturnForm(initial={"returned_at": now}),
        "can_change": access.can(request.membership, "change", episode),
        "police_overdue": episode.police_overdue(),
        "ncmec_overdue": episode.ncmec_overdue(),
    }
    context.update(forms)
    status = 400 if any(getattr(f, "errors", None) for f in forms.values()) else 200
    return render(request, "survivors/missing_detail.html", context, status=status)


@area_required
def missing_detail(request: StaffRequest, pk: int) -> HttpResponse:
    episode = get_visible(request, MissingEpisode.objects.select_related("person"), pk)
    access.record_view(request.membership, episode)
    return _page(request, episode)


@area_required
@require_POST
def missing_report(request: StaffRequest, pk: int, to: str) -> HttpResponse:
    episode = get_visible(request, MissingEpisode.objects.select_related("person"), pk, "change")
    if to not in services.missing.REPORT_TARGETS:
        return redirect("survivors:missing-detail", pk=episode.pk)
    form = ReportForm(request.POST, prefix=to)
    if form.is_valid():
        try:
            services.missing_episode_report(
                membership=request.membership,
                episode=episode,
                to=to,
                reported_at=form.cleaned_data["reported_at"],
                number=form.cleaned_data["number"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("survivors:missing-detail", pk=episode.pk)
    return _page(request, episode, **{f"{to}_form": form})


@area_required
@require_POST
def missing_return(request: StaffRequest, pk: int) -> HttpResponse:
    episode = get_visible(request, MissingEpisode.objects.select_related("person"), pk, "change")
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.missing_episode_return(
                membership=request.membership,
                episode=episode,
                returned_at=form.cleaned_data["returned_at"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            # A screening is prompted on return.
            url = reverse("survivors:screening-create", args=[episode.person_id])
            return redirect(f"{url}?episode={episode.pk}")
    return _page(request, episode, return_form=form)
