"""Server-side session limits, the gate in front of every staff page, and the language staff
pages are drawn in."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header

from . import services
from .choices import Language
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


STAFF_PATHS = ("/staff/", "/accounts/")


class StaffLanguageMiddleware:
    """Staff pages (``/staff/``, ``/accounts/``) are drawn in the signed-in person's chosen
    language; before sign-in, in the browser's preferred language if it is one we have,
    otherwise English. Nothing is stored on the device: no language cookie, no prefix in the
    address. Every other address (the public site, its quick exit, the APIs) keeps the
    language ``LocaleMiddleware`` gave it from the address."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(STAFF_PATHS):
            return self.get_response(request)
        language = self.language_for(request)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        # Scoped to this request: the thread goes back to its previous language afterwards.
        with translation.override(language):
            response = self.get_response(request)
        response["Content-Language"] = language
        return response

    @staticmethod
    def language_for(request: HttpRequest) -> str:
        user = request.user
        if user.is_authenticated:
            chosen = getattr(user, "preferred_language", "")
            return chosen if chosen in Language.values else settings.LANGUAGE_CODE
        header = request.headers.get("Accept-Language", "")
        for code, _quality in parse_accept_lang_header(header):
            base = code.split("-")[0].lower()
            if base in Language.values:
                return base
        return settings.LANGUAGE_CODE
