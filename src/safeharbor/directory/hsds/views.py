"""HSDS 3.0 API endpoints. Public and read-only: no authentication, no cookies, throttled
per client. Bad parameters get a 400 with a JSON message; unknown ids a 404."""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.dateparse import parse_date, parse_datetime
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from safeharbor.directory import selectors
from safeharbor.directory.models import (
    Organization,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)

from . import serializers

HSDS_VERSION = "3.0"
PROFILE_URL = "https://docs.openreferral.org/en/latest/hsds/overview.html"
OPENAPI_URL = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json"
DEFAULT_PER_PAGE = 25
MAX_PER_PAGE = 200


class HSDSThrottle(SimpleRateThrottle):
    """One budget per client address (settings: DEFAULT_THROTTLE_RATES["hsds"])."""

    scope = "hsds"

    def get_cache_key(self, request: Request, view: APIView) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class HSDSView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [HSDSThrottle]
    renderer_classes = [JSONRenderer]
    # Described by the HSDS OpenAPI document (openapi_url), not by the staff API schema.
    schema = None

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        requested = request.query_params.get("lang", "")
        if requested in {code for code, _name in settings.LANGUAGES}:
            translation.activate(requested)

    def finalize_response(self, request: Any, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response


# --- parameter parsing ------------------------------------------------------------------


def _int_param(request: Request, name: str, default: int, *, low: int, high: int) -> int:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError as error:
        raise ValidationError({name: f"{name} must be a whole number."}) from error
    if not low <= value <= high:
        raise ValidationError({name: f"{name} must be between {low} and {high}."})
    return value


def _bool_param(request: Request, name: str) -> bool:
    raw = (request.query_params.get(name) or "").lower()
    if raw in ("", "false", "0", "no"):
        return False
    if raw in ("true", "1", "yes"):
        return True
    raise ValidationError({name: f"{name} must be true or false."})


def _uuid_param(request: Request, name: str) -> uuid.UUID | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        return uuid.UUID(raw)
    except ValueError as error:
        raise ValidationError({name: f"{name} must be a UUID."}) from error


def _datetime_param(request: Request, name: str) -> datetime | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    value = None
    try:
        value = parse_datetime(raw.replace(" ", "+"))
        if value is None:
            day = parse_date(raw)
            if day is not None:
                value = datetime.combine(day, datetime.min.time())
    except ValueError:
        value = None
    if value is None:
        raise ValidationError({name: f"{name} must be an ISO 8601 date or date-time."})
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _object_or_404(queryset: QuerySet, pk: str, what: str) -> Any:
    try:
        key = uuid.UUID(pk)
    except ValueError as error:
        raise NotFound(f"No {what} has the id {pk!r}.") from error
    obj = queryset.filter(pk=key).first()
    if obj is None:
        raise NotFound(f"No {what} has the id {pk}.")
    return obj


def paginate(
    request: Request, items: QuerySet | list, render: Callable[[Any], dict[str, Any]]
) -> Response:
    """The HSDS Page object: total_items, total_pages, page_number, size, first_page,
    last_page, empty, contents."""
    page = _int_param(request, "page", 1, low=1, high=100_000)
    per_page = _int_param(request, "per_page", DEFAULT_PER_PAGE, low=1, high=MAX_PER_PAGE)
    total = items.count() if isinstance(items, QuerySet) else len(items)
    total_pages = max(1, math.ceil(total / per_page))
    start = (page - 1) * per_page
    contents = [render(item) for item in items[start : start + per_page]]
    return Response(
        {
            "total_items": total,
            "total_pages": total_pages,
            "page_number": page,
            "size": len(contents),
            "first_page": page == 1,
            "last_page": page >= total_pages,
            "empty": total == 0,
            "contents": contents,
        }
    )


# --- endpoints --------------------------------------------------------------------------


class RootView(HSDSView):
    def get(self, request: Request) -> Response:
        return Response(
            {"version": HSDS_VERSION, "profile": PROFILE_URL, "openapi_url": OPENAPI_URL}
        )


class ServiceListView(HSDSView):
    def get(self, request: Request) -> Response:
        services = selectors.public_services()
        search = (request.query_params.get("search") or "").strip()
        if search:
            ids = [s.pk for s in selectors.search_resources(selectors.ResourceFilter(query=search))]
            services = services.filter(pk__in=ids)
        term_id = _uuid_param(request, "taxonomy_term_id")
        if term_id:
            services = services.filter(terms__id=term_id)
        taxonomy_id = _uuid_param(request, "taxonomy_id")
        if taxonomy_id:
            services = services.filter(terms__taxonomy_id=taxonomy_id)
        organization_id = _uuid_param(request, "organization_id")
        if organization_id:
            services = services.filter(organization_id=organization_id)
        modified_after = _datetime_param(request, "modified_after")
        if modified_after:
            services = services.filter(last_modified__gte=modified_after)
        services = services.distinct().order_by("name", "id")
        if _bool_param(request, "minimal"):
            return paginate(request, services, serializers.service_minimal_json)
        full = _bool_param(request, "full")
        return paginate(request, services, lambda s: serializers.service_json(s, full=full))


class ServiceDetailView(HSDSView):
    def get(self, request: Request, pk: str) -> Response:
        service = _object_or_404(selectors.public_services(), pk, "service")
        return Response(serializers.service_json(service, full=True))


def _organizations() -> QuerySet[Organization]:
    return Organization.objects.prefetch_related(
        "phones", "locations__phones", "locations__languages", "locations__schedules"
    ).order_by("name", "id")


class OrganizationListView(HSDSView):
    def get(self, request: Request) -> Response:
        organizations = _organizations()
        search = (request.query_params.get("search") or "").strip()
        if search:
            organizations = organizations.filter(name__icontains=search)
        full = _bool_param(request, "full") or _bool_param(request, "full_service")
        if not full:
            return paginate(request, organizations, serializers.organization_json)
        return paginate(request, organizations, _full_organization)


def _full_organization(organization: Organization) -> dict[str, Any]:
    services = list(selectors.public_services().filter(organization=organization))
    return serializers.organization_json(organization, full=True, services=services)


class OrganizationDetailView(HSDSView):
    def get(self, request: Request, pk: str) -> Response:
        organization = _object_or_404(_organizations(), pk, "organization")
        return Response(_full_organization(organization))


def _service_at_locations() -> QuerySet[ServiceAtLocation]:
    return (
        ServiceAtLocation.objects.filter(service__in=selectors.public_services().values("pk"))
        .select_related("location", "service")
        .prefetch_related("location__phones", "location__languages", "location__schedules")
        .order_by("service__name", "location__name", "id")
    )


class ServiceAtLocationListView(HSDSView):
    def get(self, request: Request) -> Response:
        items = _service_at_locations()
        term_id = _uuid_param(request, "taxonomy_term_id")
        if term_id:
            items = items.filter(service__terms__id=term_id)
        organization_id = _uuid_param(request, "organization_id")
        if organization_id:
            items = items.filter(service__organization_id=organization_id)
        full = _bool_param(request, "full")
        return paginate(
            request,
            items.distinct(),
            lambda x: serializers.service_at_location_json(x, nested=full),
        )


class ServiceAtLocationDetailView(HSDSView):
    def get(self, request: Request, pk: str) -> Response:
        item = _object_or_404(_service_at_locations(), pk, "service at location")
        return Response(serializers.service_at_location_json(item, nested=True))


class TaxonomyListView(HSDSView):
    def get(self, request: Request) -> Response:
        return paginate(request, Taxonomy.objects.order_by("name", "id"), serializers.taxonomy_json)


class TaxonomyDetailView(HSDSView):
    def get(self, request: Request, pk: str) -> Response:
        taxonomy = _object_or_404(Taxonomy.objects.all(), pk, "taxonomy")
        return Response(serializers.taxonomy_json(taxonomy))


class TaxonomyTermListView(HSDSView):
    def get(self, request: Request) -> Response:
        terms = TaxonomyTerm.objects.select_related("taxonomy").order_by("taxonomy__name", "name")
        taxonomy_id = _uuid_param(request, "taxonomy_id")
        if taxonomy_id:
            terms = terms.filter(taxonomy_id=taxonomy_id)
        parent_id = _uuid_param(request, "parent_id")
        if parent_id:
            terms = terms.filter(parent_id=parent_id)
        return paginate(request, terms, serializers.taxonomy_term_json)


class TaxonomyTermDetailView(HSDSView):
    def get(self, request: Request, pk: str) -> Response:
        term = _object_or_404(TaxonomyTerm.objects.select_related("taxonomy"), pk, "term")
        return Response(serializers.taxonomy_term_json(term))
