"""Home-page panels: unique-people counts (coordinators, analysts) and the review queue
(supervisors)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from . import selectors


def counts(request: HttpRequest) -> dict[str, Any] | None:
    membership = getattr(request, "membership", None)
    if membership is None:
        return None
    run = selectors.latest_run()
    # Both counts in one statistical read: one audit event per page load, not one per count.
    results = selectors.count_results(
        selectors.default_filters(),
        viewer_agency_id=membership.agency_id,
        run=run,
        on_behalf_of=membership,
        purpose="linkage.home_counts",
    )
    return {
        "run": run,
        "results": results,
        "can_start": membership.has_perm("linkage.linkagerun.add"),
    }


def review(request: HttpRequest) -> dict[str, Any] | None:
    membership = getattr(request, "membership", None)
    if membership is None:
        return None
    waiting = selectors.review_queue(membership).count()
    if not waiting:
        return None
    return {"waiting": waiting}
