"""The public site. Pages are safe to visit: no cookies, no trackers, nothing loaded from
other hosts, and a quick exit on every page. Language comes from the URL prefix only."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import selectors
from .agenda import agenda_lines
from .forms import ResourceSearchForm
from .ical import calendar_for
from .models import Event


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "directory/public/home.html",
        {"hotlines": selectors.hotlines(), "events": selectors.upcoming_public_events()[:3]},
    )


@require_GET
def services_for_victims(request: HttpRequest) -> HttpResponse:
    return render(request, "directory/public/services.html")


@require_GET
def law_enforcement(request: HttpRequest) -> HttpResponse:
    return render(request, "directory/public/law_enforcement.html")


@require_GET
def get_help(request: HttpRequest) -> HttpResponse:
    """Hotlines first, then every other service."""
    services = list(selectors.public_services())
    return render(
        request,
        "directory/public/get_help.html",
        {
            "hotlines": [s for s in services if s.is_hotline],
            "services": [s for s in services if not s.is_hotline],
        },
    )


@require_GET
def resources(request: HttpRequest) -> HttpResponse:
    """Search and filter by need, language, age and opening hours (a plain GET form)."""
    form = ResourceSearchForm(request.GET or None)
    filters = form.to_filter() if form.is_bound and form.is_valid() else selectors.ResourceFilter()
    results = selectors.search_resources(filters)
    now = timezone.now()
    rows = [(s, selectors.is_open_24_hours(s), selectors.is_open_at(s, now)) for s in results]
    return render(
        request,
        "directory/public/resources.html",
        {"form": form, "rows": rows, "searched": form.is_bound},
    )


@require_GET
def resource_detail(request: HttpRequest, pk: str) -> HttpResponse:
    service = get_object_or_404(selectors.public_services(), pk=pk)
    return render(
        request,
        "directory/public/resource_detail.html",
        {
            "service": service,
            "open_24_hours": selectors.is_open_24_hours(service),
            "open_now": selectors.is_open_at(service, timezone.now()),
        },
    )


@require_GET
def events(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    return render(
        request,
        "directory/public/events.html",
        {
            "upcoming": selectors.upcoming_public_events(now),
            "past": selectors.past_public_events(now)[:20],
            "ics_lang": translation.get_language(),
        },
    )


@require_GET
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(selectors.public_events(), pk=pk)
    return render(
        request,
        "directory/public/event_detail.html",
        {
            "event": event,
            "agenda": agenda_lines([event.pk]).get(event.pk, []),
            "ics_lang": translation.get_language(),
        },
    )


@require_GET
def safety(request: HttpRequest) -> HttpResponse:
    return render(
        request, "directory/public/safety.html", {"quick_exit_url": settings.QUICK_EXIT_URL}
    )


# --- language-neutral addresses ---------------------------------------------------------


def _calendar_language(request: HttpRequest) -> str:
    """?lang=es picks a language; otherwise English (calendar apps send no useful hint)."""
    requested = request.GET.get("lang", "")
    codes = {code for code, _name in settings.LANGUAGES}
    return requested if requested in codes else settings.LANGUAGE_CODE


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_GET
def events_ics(request: HttpRequest) -> HttpResponse:
    """Every public event as one iCalendar feed to subscribe to."""
    with translation.override(_calendar_language(request)):
        content = calendar_for(selectors.public_events(), name=_("Public events"))
    return _ics_response(content, "events.ics")


@require_GET
def event_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """One public event, to add to a calendar."""
    event = Event.objects.public().filter(pk=pk).select_related("location").first()
    if event is None:
        raise Http404
    with translation.override(_calendar_language(request)):
        content = calendar_for([event], name=event.title)
    return _ics_response(content, f"event-{event.pk}.ics")


@never_cache
def quick_exit(request: HttpRequest) -> HttpResponse:
    """Ends any session and sends the visitor to a neutral site, leaving no trace here."""
    request.session.flush()
    response = HttpResponseRedirect(settings.QUICK_EXIT_URL)
    response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    response["Referrer-Policy"] = "no-referrer"
    return response
