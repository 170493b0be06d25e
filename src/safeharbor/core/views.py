"""Staff home (panels from every area), liveness, job progress and the notification inbox."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from safeharbor.accounts.services import notification_mark_read

from .files import EncryptedFile, read_encrypted_file
from .http import StaffRequest
from .models import Job
from .registry import panels


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 with the database status; 503 when the database cannot be reached."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "vendor": connection.vendor})


@login_required
def home(request: StaffRequest) -> HttpResponse:
    membership = request.membership
    shown = []
    if membership is not None:
        for panel in panels():
            if panel.permission and not membership.has_perm(panel.permission):
                continue
            context = panel.context(request)
            if context is not None:
                shown.append((panel, context))
    notifications = request.user.notifications.filter(read_at__isnull=True)[:10]
    return render(
        request,
        "core/home.html",
        {
            "panels": shown,
            "notifications": notifications,
            "memberships": list(request.user.active_memberships()),
        },
    )


@login_required
def job_detail(request: StaffRequest, pk: int) -> HttpResponse:
    """A job's progress; htmx polls the fragment until it has finished."""
    job = get_object_or_404(Job, pk=pk, created_by=request.user)
    template = "core/_job_progress.html" if request.htmx else "core/job_detail.html"
    return render(request, template, {"job": job})


@login_required
def notifications(request: StaffRequest) -> HttpResponse:
    items = request.user.notifications.all()[:100]
    return render(request, "core/notifications.html", {"items": items})


@login_required
@require_POST
def notification_read(request: StaffRequest, pk: int) -> HttpResponse:
    notification_mark_read(user=request.user, notification_id=pk)
    return redirect("core:notifications")


@login_required
def encrypted_file(request: HttpRequest, key: str) -> HttpResponse:
    """Serve a decrypted upload, only when the permission engine lets the membership view
    the record it belongs to and the file's data category."""
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from .files import FILE_KINDS
    from .permissions import record_view, require, visible_categories

    file = EncryptedFile.objects.filter(key=key).first()
    owner = file.owner() if file is not None else None
    if owner is None:
        raise Http404
    membership = getattr(request, "membership", None)
    require(membership, "view", owner)
    kind = FILE_KINDS.get(file.kind)
    if kind is None or kind.category not in visible_categories(membership, owner):
        raise PermissionDenied
    record_view(membership, owner)
    response = HttpResponse(read_encrypted_file(file), content_type=file.content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{file.kind}-{file.pk}.{file.extension}"'
    )
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A missing staff page or record is shown inside the staff pages (with their header);
    anywhere else, the public site's page with its exit button and hotlines."""
    from django.views import defaults

    from .middleware import STAFF_PREFIXES

    if request.path.startswith(STAFF_PREFIXES) and not request.path.startswith("/api/"):
        return render(request, "staff/404.html", status=404)
    return defaults.page_not_found(request, exception)
