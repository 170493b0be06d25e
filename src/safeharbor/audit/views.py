"""The auditor's pages: filter audit events, export them as CSV, and the supervisors' review
of emergency (break-glass) access."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safeharbor.core.csv_export import neutralise
from safeharbor.core.permissions import break_glass_review, role_allows
from safeharbor.core.permissions.models import BreakGlassAccess

from .choices import AuditAction
from .forms import BreakGlassReviewForm, EventFilterForm
from .hashing import format_time
from .selectors import events_filtered
from .services import audit_record

VIEW_PERMISSION = "audit.auditevent.view"
EXPORT_PERMISSION = "audit.auditevent.export"
REVIEW_PERMISSION = "audit.breakglass.review"
CSV_COLUMNS = [
    "time_utc",
    "chain",
    "seq",
    "actor_kind",
    "actor_id",
    "agency_id",
    "action",
    "object_type",
    "object_id",
    "fields",
    "outcome",
    "reason",
    "request_id",
    "prev_hash",
    "hash",
]


def permission_required(code: str) -> Callable[..., Any]:
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            membership = getattr(request, "membership", None)
            if membership is None or not role_allows(membership, code):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _filters(request: HttpRequest) -> tuple[EventFilterForm, dict[str, Any]]:
    form = EventFilterForm(request.GET or None)
    cleaned = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return form, cleaned


@permission_required(VIEW_PERMISSION)
def events(request: HttpRequest) -> HttpResponse:
    """Filter the audit trail: actor, action, object, agency, outcome, time."""
    form, cleaned = _filters(request)
    page = Paginator(events_filtered(cleaned), 50).get_page(request.GET.get("page"))
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    audit_record(
        action=AuditAction.LIST,
        actor=request.user,
        agency_id=request.membership.agency_id,
        object_type="audit.auditevent",
        fields=sorted(k for k in query if k in form.fields),
        reason="audit_search",
    )
    return render(
        request,
        "audit/events.html",
        {
            "form": form,
            "page": page,
            "query": urlencode(query),
            "can_export": role_allows(request.membership, EXPORT_PERMISSION),
        },
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def _safe_cell(value: Any) -> Any:
    """Stop spreadsheet formula injection in exported text: the platform's one rule
    (``core.csv_export.neutralise``, full-width forms included)."""
    return neutralise(value) if isinstance(value, str) else value


def _csv_rows(queryset: Any) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_COLUMNS)
    for e in queryset.iterator(chunk_size=2000):
        yield writer.writerow(
            [
                format_time(e.occurred_at),
                e.chain,
                e.seq,
                e.actor_kind,
                e.actor_id if e.actor_id is not None else "",
                e.agency_id if e.agency_id is not None else "",
                e.action,
                _safe_cell(e.object_type),
                _safe_cell(e.object_id),
                _safe_cell(" ".join(e.fields or [])),
                e.outcome,
                _safe_cell(e.reason),
                e.request_id,
                e.prev_hash,
                e.hash,
            ]
        )


@permission_required(EXPORT_PERMISSION)
def events_export(request: HttpRequest) -> HttpResponse:
    """The filtered events as CSV (streamed). The export itself is audited."""
    form, cleaned = _filters(request)
    if form.is_bound and not form.is_valid():
        return redirect(f"{reverse('audit:events')}?{request.GET.urlencode()}")
    queryset = events_filtered(cleaned)
    audit_record(
        action=AuditAction.EXPORT,
        actor=request.user,
        agency_id=request.membership.agency_id,
        object_type="audit.auditevent",
        object_id=queryset.count(),
        fields=CSV_COLUMNS,
        reason="audit_export",
    )
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    response = StreamingHttpResponse(_csv_rows(queryset), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-events-{stamp}.csv"'
    return response


@permission_required(REVIEW_PERMISSION)
def break_glass_list(request: HttpRequest) -> HttpResponse:
    """Emergency accesses in the supervisor's agency; those awaiting review first."""
    accesses = (
        BreakGlassAccess.objects.filter(agency_id=request.membership.agency_id)
        .select_related("user", "reviewed_by", "content_type")
        .order_by("reviewed_at", "-opened_at")
    )
    pending = [
        (a, BreakGlassReviewForm(prefix=f"bg{a.pk}")) for a in accesses if a.reviewed_at is None
    ]
    done = [a for a in accesses if a.reviewed_at is not None][:100]
    return render(request, "audit/break_glass_list.html", {"pending": pending, "done": done})


@require_POST
@permission_required(REVIEW_PERMISSION)
def break_glass_review_view(request: HttpRequest, pk: int) -> HttpResponse:
    access = get_object_or_404(BreakGlassAccess, pk=pk, agency_id=request.membership.agency_id)
    form = BreakGlassReviewForm(request.POST, prefix=f"bg{access.pk}")
    if form.is_valid():
        try:
            break_glass_review(
                membership=request.membership,
                access=access,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Review recorded."))
    else:
        messages.error(request, _("Choose whether the access was justified."))
    return redirect("audit:break-glass")
