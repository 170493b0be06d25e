"""The base views and DRF mixins use the engine: 404 outside reach, hidden categories left
out, reads audited."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.test import RequestFactory
from django.views.generic import DetailView, ListView
from rest_framework import serializers, viewsets
from rest_framework.test import APIRequestFactory, force_authenticate

from safeharbor.accounts.models import Membership, Role
from safeharbor.audit.models import AuditEvent
from safeharbor.core.protected_views import (
    CategoryFilteredSerializerMixin,
    ProtectedListMixin,
    ProtectedObjectMixin,
    ProtectedViewSetMixin,
)
from safeharbor.core.testing.models import Specimen
from tests import factories

pytestmark = pytest.mark.django_db


class SpecimenDetail(ProtectedObjectMixin, DetailView):
    model = Specimen
    template_name = "core/home.html"


class SpecimenList(ProtectedListMixin, ListView):
    model = Specimen
    template_name = "core/home.html"


class SpecimenSerializer(CategoryFilteredSerializerMixin, serializers.ModelSerializer):
    class Meta:
        model = Specimen
        fields = ["id", "name", "phone", "case_notes", "age_band"]


class SpecimenViewSet(ProtectedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Specimen.objects.all()
    serializer_class = SpecimenSerializer
    permission_classes = []


def membership(agency, permissions, scope="agency"):
    role, _ = Role.objects.get_or_create(
        slug=f"r{len(permissions)}{scope}",
        defaults={"name": "r", "permissions": permissions, "default_scope": scope},
    )
    return Membership.objects.create(user=factories.UserFactory(), agency=agency, role=role)


def test_detail_view_is_404_outside_reach_and_audits_views():
    agency = factories.AgencyFactory()
    mine = Specimen.objects.create(agency=agency, name="Synthetic")
    theirs = Specimen.objects.create(agency=factories.AgencyFactory(), name="Synthetic")
    request = RequestFactory().get("/")
    request.membership = membership(agency, ["core_testing.*", "!*.view.identity"])
    request.user = request.membership.user
    view = SpecimenDetail.as_view()
    response = view(request, pk=mine.pk)
    assert response.status_code == 200
    assert response.context_data["hidden_fields"] >= {"name", "phone"}
    assert AuditEvent.objects.filter(action="view", object_id=str(mine.pk)).exists()
    with pytest.raises(Http404):
        view(request, pk=theirs.pk)


def test_list_view_shows_only_visible_rows_and_audits_the_count():
    agency = factories.AgencyFactory()
    Specimen.objects.create(agency=agency, name="Synthetic")
    Specimen.objects.create(agency=factories.AgencyFactory(), name="Synthetic")
    request = RequestFactory().get("/")
    request.membership = membership(agency, ["core_testing.*"])
    request.user = request.membership.user
    response = SpecimenList.as_view()(request)
    assert len(response.context_data["object_list"]) == 1
    assert AuditEvent.objects.get(action="list").object_id == "1"


def test_viewset_drops_hidden_categories_and_scopes_rows():
    agency = factories.AgencyFactory()
    record = Specimen.objects.create(
        agency=agency, name="Synthetic", phone="555", case_notes="n", age_band="15-17"
    )
    Specimen.objects.create(agency=factories.AgencyFactory(), name="Other")
    member = membership(agency, ["core_testing.*", "!*.view.identity"])
    factory = APIRequestFactory()
    request = factory.get("/")
    force_authenticate(request, user=member.user)
    request.api_membership = member
    response = SpecimenViewSet.as_view({"get": "list"})(request)
    assert response.status_code == 200
    rows = response.data if isinstance(response.data, list) else response.data["results"]
    assert [r["id"] for r in rows] == [record.pk]
    assert "name" not in rows[0] and "phone" not in rows[0]
    assert rows[0]["case_notes"] == "n" and rows[0]["age_band"] == "15-17"
    request = factory.get("/")
    force_authenticate(request, user=member.user)
    request.api_membership = member
    response = SpecimenViewSet.as_view({"get": "retrieve"})(request, pk=record.pk)
    assert response.status_code == 200 and "name" not in response.data
    assert AuditEvent.objects.filter(action="view", object_id=str(record.pk)).exists()
