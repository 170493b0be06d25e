"""Reads of the directory and events for the public site, the HSDS API and staff pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from .choices import ServiceStatus, Weekday
from .models import (
    Event,
    Language,
    Location,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)

WEEKDAY_CODES = list(Weekday.values)  # Monday first, as datetime.weekday() counts


def public_events() -> QuerySet[Event]:
    return Event.objects.public().select_related("location")


def upcoming_public_events(now: datetime | None = None) -> QuerySet[Event]:
    return public_events().upcoming(now or timezone.now())


def past_public_events(now: datetime | None = None) -> QuerySet[Event]:
    now = now or timezone.now()
    return (
        public_events()
        .exclude(pk__in=upcoming_public_events(now).values("pk"))
        .order_by("-starts_at", "-id")
    )


def services_with_details() -> QuerySet[Service]:
    """Services with everything a page or the HSDS API shows, in a fixed number of queries."""
    return (
        Service.objects.select_related("organization", "program")
        .prefetch_related(
            Prefetch("phones", queryset=Phone.objects.order_by("number", "id")),
            Prefetch("schedules", queryset=Schedule.objects.order_by("id")),
            Prefetch("languages", queryset=Language.objects.order_by("name", "id")),
            Prefetch("terms", queryset=TaxonomyTerm.objects.select_related("taxonomy")),
            Prefetch(
                "service_at_locations",
                queryset=ServiceAtLocation.objects.select_related("location").prefetch_related(
                    "location__phones", "location__languages", "location__schedules"
                ),
            ),
        )
        .order_by("name", "id")
    )


def public_services() -> QuerySet[Service]:
    """What the public sees: services that are not gone for good."""
    return services_with_details().exclude(status=ServiceStatus.DEFUNCT)


def hotlines() -> QuerySet[Service]:
    return public_services().filter(is_hotline=True)


def is_open_24_hours(service: Service) -> bool:
    return any(s.open_24_hours for s in service.schedules.all())


def is_open_at(service: Service, moment: datetime) -> bool:
    """Whether one of the service's weekly schedules covers ``moment`` (site time zone)."""
    local = timezone.localtime(moment)
    day = WEEKDAY_CODES[local.weekday()]
    for schedule in service.schedules.all():
        if schedule.open_24_hours:
            return True
        if (
            day in schedule.days
            and schedule.opens_at
            and schedule.closes_at
            and schedule.opens_at <= local.time() < schedule.closes_at
        ):
            return True
    return False


@dataclass(frozen=True)
class ResourceFilter:
    """What a visitor asked for on the resources page. Every part is optional."""

    query: str = ""
    need: str = ""  # a taxonomy term code
    language: str = ""  # a language code, e.g. "es"
    age: int | None = None
    availability: str = ""  # "", "now" or "24h"


def search_resources(
    filters: ResourceFilter, *, now: datetime | None = None, language_code: str | None = None
) -> list[Service]:
    """Services matching the filters, hotlines first, then by name."""
    services = public_services()
    if filters.query:
        q = Q()
        for code, _name in settings.LANGUAGES:
            q |= Q(**{f"name_{code}__icontains": filters.query})
            q |= Q(**{f"description_{code}__icontains": filters.query})
        q |= Q(organization__name__icontains=filters.query)
        services = services.filter(q)
    if filters.need:
        services = services.filter(terms__code=filters.need)
    if filters.language:
        services = services.filter(languages__code=filters.language)
    if filters.age is not None:
        services = services.filter(
            Q(minimum_age__isnull=True) | Q(minimum_age__lte=filters.age),
            Q(maximum_age__isnull=True) | Q(maximum_age__gte=filters.age),
        )
    results = list(services.distinct().order_by("-is_hotline", "name", "id"))
    if filters.availability == "24h":
        results = [s for s in results if is_open_24_hours(s)]
    elif filters.availability == "now":
        moment = now or timezone.now()
        results = [s for s in results if is_open_at(s, moment)]
    return results


def need_terms() -> QuerySet[TaxonomyTerm]:
    """Terms that at least one public service carries, for the “need” filter."""
    return (
        TaxonomyTerm.objects.filter(services__in=public_services().values("pk"))
        .select_related("taxonomy")
        .distinct()
        .order_by("name", "id")
    )


def service_languages() -> list[tuple[str, str]]:
    """(code, name) of languages public services work in, by name."""
    rows = (
        Language.objects.filter(service__in=public_services().values("pk"))
        .values_list("code", "name")
        .distinct()
        .order_by("name")
    )
    seen: dict[str, str] = {}
    for code, name in rows:
        seen.setdefault(code, name)
    return sorted(seen.items(), key=lambda item: item[1])


def public_addresses(location: Location) -> bool:
    """Whether a location's address may be shown at all."""
    return location.has_address
