"""Request id for log lines and audit events, and headers that keep pages private."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from . import request_context


class RequestIdMiddleware:
    """Gives every request an id (or keeps a well-formed one from the proxy)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-Id", "")
        try:
            request_id = str(uuid.UUID(incoming))
        except ValueError:
            request_id = str(uuid.uuid4())
        request.request_id = request_id  # type: ignore[attr-defined]
        token = request_context.set_request(request)
        try:
            response = self.get_response(request)
        finally:
            request_context.reset(token)
        response["X-Request-Id"] = request_id
        return response


STAFF_PREFIXES = ("/staff/", "/accounts/", "/api/")


class SafetyHeadersMiddleware:
    """No caching of staff pages, no third-party anything, a strict content policy."""

    CSP = (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; "
        "form-action 'self'"
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", self.CSP)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if request.path.startswith(STAFF_PREFIXES):
            response["Cache-Control"] = "no-store"
        else:
            # The public site tells no other site where a visitor came from. (Staff pages use
            # settings.SECURE_REFERRER_POLICY, "same-origin", which their forms need.)
            response.setdefault("Referrer-Policy", "no-referrer")
        return response
