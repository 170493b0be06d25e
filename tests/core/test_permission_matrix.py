"""The generic permission matrix: every protected model x every role x every action x
own agency (assigned / not) / other agency / shared by grant / grant expired / revoked."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from safeharbor.accounts.models import Role
from safeharbor.accounts.roles import ROLE_DEFINITIONS
from safeharbor.core.permissions import (
    SYSTEM,
    can,
    protected_models,
    statistical_read,
    visible_categories,
)
from safeharbor.core.testing import harness
from tests import factories

FACTORIES = harness.discover_factories()
SPECS = protected_models()

# Synthetic roles on top of the seeded ones, so core's own test models (which no real role
# names) are exercised with allowing, wildcard and category-denying patterns.
EXTRA_ROLES = {
    "x-everything": (["*"], "agency"),
    "x-tester": (["core_testing.*"], "assigned"),
    "x-no-identity": (
        ["core_testing.*.view", "core_testing.*.export", "!core_testing.specimen.view.identity"],
        "agency",
    ),
    "x-nothing": ([], "agency"),
}
# Every seeded role for every model; the synthetic roles only for core's own test models.
MATRIX = [
    (spec, role)
    for spec in SPECS
    for role in sorted(ROLE_DEFINITIONS)
    + (sorted(EXTRA_ROLES) if spec.model._meta.app_label == "core_testing" else [])
]


def _ensure_role(slug):
    if slug in EXTRA_ROLES:
        permissions, scope = EXTRA_ROLES[slug]
        Role.objects.get_or_create(
            slug=slug, defaults={"name": slug, "permissions": permissions, "default_scope": scope}
        )


def test_every_protected_model_has_a_harness_factory():
    missing = [s.label for s in SPECS if harness.factory_for(s) is None]
    assert not missing, (
        "Register a factory in tests/<area>/permission_factories.py for: " + ", ".join(missing)
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("spec", "role_slug"), MATRIX, ids=[f"{s.label}-{r}" for s, r in MATRIX])
def test_role_matrix(spec, role_slug):
    make = harness.factory_for(spec)
    if make is None:
        pytest.fail(f"no harness factory for {spec.label}")
    _ensure_role(role_slug)
    own, other = factories.AgencyFactory(), factories.AgencyFactory()
    user, colleague = factories.UserFactory(), factories.UserFactory()
    membership = factories.membership(user, own, role_slug)
    factories.membership(colleague, own, role_slug)
    cases = harness.build_cases(spec, make, user=user, colleague=colleague, own=own, other=other)
    problems = harness.check_membership(spec, membership, cases)
    # The same role with the other scope, so both scopes are covered for every role.
    membership.scope = "agency" if membership.effective_scope == "assigned" else "assigned"
    membership.save(update_fields=["scope"])
    problems += harness.check_membership(spec, membership, cases)
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
@pytest.mark.parametrize("spec", SPECS, ids=[s.label for s in SPECS])
def test_system_actor_reaches_everything_and_nobody_reaches_nothing(spec):
    make = harness.factory_for(spec)
    obj = make(agency=factories.AgencyFactory(), assigned_to=None)
    manager = spec.model._default_manager
    for action in spec.actions:
        assert can(SYSTEM, action, obj)
        assert manager.visible_to(SYSTEM, action).filter(pk=obj.pk).exists()
        assert not can(None, action, obj)
        assert not manager.visible_to(None, action).exists()
    assert visible_categories(SYSTEM, obj) == frozenset(spec.categories)


@pytest.mark.django_db
@pytest.mark.parametrize("spec", SPECS, ids=[s.label for s in SPECS])
def test_inactive_membership_user_or_agency_reach_nothing(spec):
    make = harness.factory_for(spec)
    agency = factories.AgencyFactory()
    user = factories.UserFactory()
    membership = factories.membership(user, agency, "supervisor", scope="agency")
    membership.role = Role.objects.create(slug="everything", name="All", permissions=["*"])
    membership.save()
    obj = make(agency=agency, assigned_to=user)
    assert can(membership, "view", obj)
    for flip in ("membership", "user", "agency"):
        target = {"membership": membership, "user": user, "agency": agency}[flip]
        target.is_active = False
        target.save()
        membership.refresh_from_db()
        assert not can(membership, "view", obj), flip
        assert not spec.model._default_manager.visible_to(membership).exists(), flip
        target.is_active = True
        target.save()
        membership.refresh_from_db()


@pytest.mark.django_db
@pytest.mark.parametrize("spec", SPECS, ids=[s.label for s in SPECS])
def test_statistical_reads_count_only_what_each_role_may(spec):
    """The statistical read path for every model and role: how far it reaches (all
    agencies, own agency, nothing) and that it reads statistical values only."""
    make = harness.factory_for(spec)
    own, other = factories.AgencyFactory(), factories.AgencyFactory()
    records = [make(agency=own, assigned_to=None).pk, make(agency=other, assigned_to=None).pk]
    expected_count = {"all": 2, "own": 1, "none": 0}
    membership = factories.membership(factories.UserFactory(), own, "analyst")
    slugs = sorted(ROLE_DEFINITIONS) + (
        sorted(EXTRA_ROLES) if spec.model._meta.app_label == "core_testing" else []
    )
    problems = []
    for slug in ["SYSTEM", *slugs]:
        if slug == "SYSTEM":
            subject, reach = SYSTEM, "all"
        else:
            _ensure_role(slug)
            membership.role = Role.objects.get(slug=slug)
            membership.save(update_fields=["role"])
            subject = membership
            reach = harness.expected_statistical_reach(
                patterns=list(membership.role.permissions), spec=spec
            )
        with statistical_read(subject, purpose="tests.matrix") as read:
            got = read.rows(spec.model).filter(pk__in=records).count()
        if got != expected_count[reach]:
            kind = "LEAK" if got > expected_count[reach] else "MISSING"
            problems.append(f"{kind} {spec.label} {slug}: counted {got}, expected {reach}")
    statistical, others = harness.value_fields(spec)
    with statistical_read(SYSTEM, purpose="tests.matrix") as read:
        for name in sorted(statistical):
            read.rows(spec.model).values(name).count()
        for name in sorted(others):
            try:
                read.rows(spec.model).values(name)
            except PermissionDenied:
                continue
            problems.append(f"LEAK {spec.label}.{name}: a statistical read could read it")
        try:
            list(read.rows(spec.model))
            problems.append(f"LEAK {spec.label}: a statistical read gave records")
        except PermissionDenied:
            pass
    assert not problems, "\n".join(problems)
