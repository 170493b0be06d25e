"""Staff pages of the linkage area: unduplicated counts with their interval, starting a run
and past runs (coordinators, analysts), and the review queue of possible duplicates
(supervisors). Thin: the engine decides what is shown, services decide what may change."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from safeharbor.core import permissions as engine
from safeharbor.core.decorators import requires
from safeharbor.core.http import StaffRequest
from safeharbor.core.permissions import IDENTITY

from . import selectors, services
from .choices import PairStatus
from .forms import CountFilterForm, StartRunForm
from .models import DuplicatePair, LinkageRun


@requires("linkage.linkagerun.view")
def index(request: StaffRequest) -> HttpResponse:
    membership = request.membership
    form = CountFilterForm(request.GET or None)
    run = selectors.latest_run()
    results = []
    if form.is_bound:
        if form.is_valid():
            results = [
                selectors.count_result(
                    form.count_filter(),
                    viewer_agency_id=membership.agency_id,
                    run=run,
                    on_behalf_of=membership,
                )
            ]
    else:
        form = CountFilterForm(initial={"juveniles": True})
        results = selectors.count_results(
            selectors.default_filters(),
            viewer_agency_id=membership.agency_id,
            run=run,
            on_behalf_of=membership,
        )
    runs = list(LinkageRun.objects.visible_to(membership).select_related("job", "started_by")[:20])
    engine.record_list(membership, LinkageRun, count=len(runs))
    return render(
        request,
        "linkage/index.html",
        {
            "form": form,
            "results": results,
            "run": run,
            "runs": runs,
            "can_start": engine.role_allows(membership, "linkage.linkagerun.add"),
            "start_form": StartRunForm(),
        },
    )


@requires("linkage.linkagerun.add")
@require_POST
def run_start(request: StaffRequest) -> HttpResponse:
    form = StartRunForm(request.POST)
    if not form.is_valid():  # a checkbox: only a tampered form gets here
        messages.error(request, _("The run could not be started."))
        return redirect("linkage:index")
    run = services.linkage_run_start(
        membership=request.membership, retrain=form.cleaned_data["retrain"]
    )
    messages.success(request, _("The linkage run has started. This page shows its progress."))
    return redirect("core:job", pk=run.job_id)


COUNT_LABELS = {
    "records": _lazy("Person records, every agency"),
    "linked_records": _lazy("Records that took part in linkage"),
    "excluded_no_consent": _lazy(
        "Records without consent to statistical linkage (counted, unlinked)"
    ),
    "people_among_linked": _lazy("People among the records that took part"),
    "pairs_scored": _lazy("Pairs of records compared"),
    "pairs_linked": _lazy("Pairs at or above the match threshold"),
    "known_links": _lazy("Known links from accepted referrals"),
    "confirmed_pairs": _lazy("Pairs confirmed as one person by a supervisor"),
    "rejected_pairs": _lazy("Pairs kept apart by a supervisor"),
    "new_review_pairs": _lazy("New possible duplicates for review"),
    "impossible_dob": _lazy("Impossible dates of birth (treated as missing)"),
}
PHASE_NAMES = {
    "read": _lazy("Reading person records"),
    "prepare": _lazy("Preparing names, dates and phones"),
    "train": _lazy("Training or loading the model"),
    "predict": _lazy("Comparing records"),
    "cluster": _lazy("Grouping records of one person"),
    "save": _lazy("Saving clusters and counts"),
}


@requires("linkage.linkagerun.view")
def run_detail(request: StaffRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(
        LinkageRun.objects.visible_to(request.membership).select_related("job", "model"), pk=pk
    )
    engine.record_view(request.membership, run)
    counts = [(COUNT_LABELS.get(k, k), v) for k, v in (run.counts or {}).items()]
    timings = [(PHASE_NAMES.get(k, k), v) for k, v in (run.timings or {}).items()]
    return render(
        request, "linkage/run_detail.html", {"run": run, "counts": counts, "timings": timings}
    )


def _side(membership: Any, person: Any) -> dict[str, Any]:
    """What a reviewer sees of one record: the reference always; names and date of birth
    when the engine lets them see the record's identity (the view is audited)."""
    shown: dict[str, Any] = {"person": person, "identity": False}
    if engine.can(membership, "view", person) and IDENTITY in engine.visible_categories(
        membership, person
    ):
        engine.record_view(membership, person)
        shown.update(identity=True)
    return shown


@requires("linkage.duplicatepair.view")
def review(request: StaffRequest) -> HttpResponse:
    membership = request.membership
    status = request.GET.get("status", PairStatus.PENDING)
    if status not in PairStatus.values:
        status = PairStatus.PENDING
    pairs = list(selectors.review_queue(membership, status=status)[:50])
    engine.record_list(membership, DuplicatePair, count=len(pairs))
    rows = [
        {"pair": p, "a": _side(membership, p.person_a), "b": _side(membership, p.person_b)}
        for p in pairs
    ]
    return render(
        request,
        "linkage/review.html",
        {
            "rows": rows,
            "status": status,
            "statuses": PairStatus.choices,
            "can_review": engine.role_allows(membership, "linkage.duplicatepair.review"),
        },
    )


@requires("linkage.duplicatepair.review")
@require_POST
def review_decide(request: StaffRequest, pk: int) -> HttpResponse:
    pair = get_object_or_404(DuplicatePair.objects.visible_to(request.membership, "review"), pk=pk)
    decision = request.POST.get("decision")
    if decision not in {"same", "different"}:
        messages.error(request, _("Choose whether the two records are the same person."))
        return redirect("linkage:review")
    services.duplicate_pair_decide(
        membership=request.membership, pair=pair, same_person=decision == "same"
    )
    if decision == "same":
        messages.success(
            request, _("Saved: the same person. Every later run counts the two records once.")
        )
    else:
        messages.success(
            request, _("Saved: different people. Every later run keeps the two records apart.")
        )
    return redirect("linkage:review")
