"""The public site. Pages are safe to visit: no trackers, no third-party requests, a quick
exit on every page."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "directory/public/home.html")


@never_cache
def quick_exit(request: HttpRequest) -> HttpResponse:
    """Ends any session and sends the visitor to a neutral site, leaving no trace here."""
    request.session.flush()
    response = HttpResponseRedirect(settings.QUICK_EXIT_URL)
    response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    response["Referrer-Policy"] = "no-referrer"
    return response
