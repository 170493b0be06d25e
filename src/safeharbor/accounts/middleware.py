"""Server-side session limits and the gate in front of every staff page."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import services
from .models import Membership

SESSION_TOUCH_SECONDS = 60


class SessionPolicyMiddleware:
    """Ends sessions past 30 idle minutes or 12 hours, and sessions of a user whose sessions
    were all ended (logout everywhere, lockout, deactivation, role change)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.membership = None  # type: ignore[attr-defined]
        user = request.user
        if user.is_authenticated:
            session = request.session
            now = timezone.now().timestamp()
            started = session.get(services.SESSION_STARTED)
            last = session.get(services.SESSION_LAST)
            reason = ""
            if session.get(services.SESSION_EPOCH) != user.session_epoch or started is None:
                reason = "session_revoked"
            elif now - started > settings.SESSION_ABSOLUTE_LIMIT.total_seconds():
                reason = "absolute_limit"
            elif last is None or now - last > settings.SESSION_IDLE_TIMEOUT.total_seconds():
                reason = "idle_timeout"
            if reason:
                services.session_expired(request=request, reason=reason)
                if request.path.startswith("/staff/"):
                    messages.info(
                        request,
                        _("For your safety you were signed out. Please sign in again."),
                    )
            else:
                # htmx polling must not keep an unattended session alive. The time is
                # written at most once a minute (a session write per page is a database
                # write per page); the idle limit can only end a session sooner for it.
                if (
                    request.headers.get("HX-Trigger-Name") != "poll"
                    and now - last >= SESSION_TOUCH_SECONDS
                ):
                    session[services.SESSION_LAST] = now
                request.membership = self._membership(request)  # type: ignore[attr-defined]
        return self.get_response(request)

    @staticmethod
    def _membership(request: HttpRequest) -> Membership | None:
        memberships = list(request.user.active_memberships())
        if not memberships:
            return None
        chosen = request.session.get(services.SESSION_MEMBERSHIP)
        for membership in memberships:
            if membership.pk == chosen:
                return membership
        return memberships[0]


class StaffGateMiddleware:
    """Every ``/staff/`` page needs a signed-in user who passed the code step and has seen
    the system-use notice. Anything less is sent to the step that is missing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/staff/"):
            redirect = self._missing_step(request)
            if redirect is not None:
                return redirect
        return self.get_response(request)

    @staticmethod
    def _missing_step(request: HttpRequest) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated:
            target = reverse("accounts:login") + "?" + urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(target)
        if not user.is_verified():
            if services.has_confirmed_totp(user):
                return HttpResponseRedirect(reverse("accounts:code"))
            return HttpResponseRedirect(reverse("accounts:enrol"))
        if not request.session.get(services.SESSION_NOTICE):
            return HttpResponseRedirect(reverse("accounts:notice"))
        return None
