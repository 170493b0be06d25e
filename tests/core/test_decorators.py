"""The shared page gate: a role that allows none of the codes gets a 403."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from safeharbor.core.decorators import requires
from tests import factories


@requires("survivors.person.view", "referrals.referral.view")
def _page(request):
    return HttpResponse("ok")


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "allowed"), [("caseworker", True), ("editor", False)])
def test_page_gate_follows_the_role(role, allowed):
    user = factories.UserFactory()
    request = RequestFactory().get("/staff/x/")
    request.membership = factories.membership(user, factories.AgencyFactory(), role)
    if allowed:
        assert _page(request).content == b"ok"
    else:
        with pytest.raises(PermissionDenied):
            _page(request)


def test_page_gate_without_membership_is_refused():
    request = RequestFactory().get("/staff/x/")
    request.membership = None
    with pytest.raises(PermissionDenied):
        _page(request)


def test_a_gate_needs_a_code():
    with pytest.raises(ValueError):
        requires()


@pytest.mark.django_db
def test_links_are_shown_by_the_same_rule_as_the_page_gate():
    from django.template import Context, Template

    template = Template(
        '{% load staff_tags %}{% if membership|allows:"survivors.person.view" %}people{% endif %}'
    )
    agency = factories.AgencyFactory()
    caseworker = factories.membership(factories.UserFactory(), agency, "caseworker")
    editor = factories.membership(factories.UserFactory(), agency, "editor")
    assert template.render(Context({"membership": caseworker})) == "people"
    assert template.render(Context({"membership": editor})) == ""
    assert template.render(Context({"membership": None})) == ""


@pytest.mark.django_db
def test_page_gate_refuses_a_membership_that_is_no_longer_active():
    request = RequestFactory().get("/staff/x/")
    request.membership = factories.membership(
        factories.UserFactory(), factories.AgencyFactory(), "caseworker"
    )
    request.membership.is_active = False
    with pytest.raises(PermissionDenied):
        _page(request)
