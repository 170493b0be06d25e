"""The full permission matrix, generated: every protected model (from the registry, so new
areas' models join automatically) x every role in the database (seeded and added by areas'
migrations) x both scopes x agency relation x consent state. Zero leaks, and nothing missing.

Each model is one test (so the matrix spreads over the workers); each records how many cases
and checks it ran, and ``tests/reliability/matrix_summary.py`` prints the total at the end of
the run ("permission matrix: N models, ... checks, 0 leaks").
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from safeharbor.accounts.models import Role
from safeharbor.core.permissions import protected_models
from safeharbor.core.testing import harness, matrix
from safeharbor.survivors.derive import new_reference
from safeharbor.survivors.models import Consent, Person
from safeharbor.survivors.services.consent import consent_revoke
from tests import factories

FACTORIES = harness.discover_factories()
SPECS = protected_models()


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class Consents:
    """Consents as the referral flow relies on them: written, naming the recipient, and
    valid, revoked (through the survivors service, by a supervisor of the owning agency) or
    expired. The grant ends when the consent does, as ``referrals.services`` sets it."""

    def __init__(self) -> None:
        self.revokers: dict[int, object] = {}

    def make(self, *, owner, recipient, root, state):
        person = root if isinstance(root, Person) else None
        if person is None:
            person = Person.objects.create(
                agency=owner, reference=new_reference(), given_name="Synthetic"
            )
        today = timezone.localdate()
        if state == "expired":
            signed, expires = today - datetime.timedelta(days=100), today
        else:
            signed, expires = (
                today - datetime.timedelta(days=5),
                today + datetime.timedelta(days=60),
            )
        consent = Consent.objects.create(
            person=person,
            agency=owner,
            categories=["case", "identity", "statistical"],
            purpose="referral",
            signed_on=signed,
            expires_on=expires,
        )
        consent.recipient_agencies.set([recipient])
        return consent, _start_of(expires)

    def revoke(self, consent) -> None:
        if consent.agency_id not in self.revokers:
            self.revokers[consent.agency_id] = factories.membership(
                factories.UserFactory(), consent.agency, "supervisor", scope="agency"
            )
        consent_revoke(membership=self.revokers[consent.agency_id], consent=consent)
        assert consent.__class__.objects.get(pk=consent.pk).status == "revoked"


def _viewers(own, role_slug):
    """A (user, colleague) pair in the own agency per consent state, and their memberships."""
    viewers, memberships = {}, {}
    for state in matrix.CONSENT_STATES:
        user, colleague = factories.UserFactory(), factories.UserFactory()
        memberships[user] = factories.membership(user, own, role_slug)
        factories.membership(colleague, own, role_slug)
        viewers[state] = (user, colleague)
    return viewers, memberships


@pytest.mark.django_db
@pytest.mark.parametrize("spec", SPECS, ids=[s.label for s in SPECS])
def test_matrix_model_role_scope_relation_consent(spec, record_property):
    make = harness.factory_for(spec)
    assert make is not None, f"no harness factory for {spec.label}: add one"
    own, other, third = (factories.AgencyFactory() for _ in range(3))
    roles = list(Role.objects.order_by("slug"))
    viewers, memberships = _viewers(own, roles[0].slug)
    consents = Consents()
    cases = matrix.build_matrix_cases(
        spec,
        make,
        viewers=viewers,
        own=own,
        other=other,
        third=third,
        make_consent=consents.make,
        revoke=consents.revoke,
    )
    result = matrix.run_model(spec, memberships, cases, roles)
    record_property(
        "permission_matrix",
        {
            "model": spec.label,
            "roles": result.roles,
            "cases": result.cases,
            "checks": result.checks,
            "leaks": result.leaks,
            "missing": len(result.problems) - result.leaks,
        },
    )
    assert len(cases) == len(matrix.RELATIONS) * len(matrix.CONSENT_STATES)
    assert result.roles == len(roles) >= 11
    assert not result.problems, "\n".join(result.problems)


def test_matrix_covers_every_protected_model_and_consent_state():
    assert {s.label for s in SPECS} <= set(FACTORIES), "a protected model has no factory"
    assert matrix.CONSENT_STATES == ("valid", "revoked", "expired")
    # Sharing counts only while the consent holds.
    assert matrix.rules_situation("shared_by_grant", "valid") == "shared_by_grant"
    for state in ("revoked", "expired"):
        assert matrix.rules_situation("shared_by_grant", state) == "grant_expired"
        assert matrix.rules_situation("own_assigned", state) == "own_assigned"


@pytest.mark.django_db
def test_the_matrix_would_catch_a_grant_outliving_its_consent(monkeypatch):
    """A failing engine must fail the matrix: with revocation no longer ending grants, the
    revoked-consent cases show as leaks."""
    import safeharbor.survivors.services.consent as consent_services

    monkeypatch.setattr(consent_services, "grant_revoke_for_source", lambda **kwargs: 0)
    spec = next(s for s in SPECS if s.label == "survivors.person")
    own, other, third = (factories.AgencyFactory() for _ in range(3))
    viewers, memberships = _viewers(own, "caseworker")
    consents = Consents()
    consents.revoke = lambda consent: consent_revoke(  # type: ignore[method-assign]
        membership=factories.membership(factories.UserFactory(), consent.agency, "supervisor"),
        consent=consent,
    )
    cases = matrix.build_matrix_cases(
        spec,
        harness.factory_for(spec),
        viewers=viewers,
        own=own,
        other=other,
        third=third,
        make_consent=consents.make,
        revoke=consents.revoke,
    )
    result = matrix.run_model(spec, memberships, cases, [Role.objects.get(slug="caseworker")])
    assert result.leaks > 0
    assert any("[shared_by_grant, consent revoked]" in p for p in result.problems)
