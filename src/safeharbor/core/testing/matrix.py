"""The full permission matrix: every protected model x role x scope x agency relation x
consent state, built on the generic harness (``harness.py``).

The harness's own situations test the engine's rules with hand-made grants. This module adds
what a real referral does: sharing rests on a *consent*. Every record is shared (or not) by a
grant created through ``grant_create(subject=SYSTEM, source=consent)``, exactly as an
accepted referral does, and the consent is then left valid, revoked through the area's own
revocation service (which must end the grant at once), or expired (the grant ends with the
consent). The relations are:

* ``own_assigned`` / ``own_unassigned``: the viewer's agency owns the record (assigned to the
  viewer, or to a colleague); a consent-backed grant shares it with a *third* agency, which
  must change nothing for the owner;
* ``other_agency``: another agency owns it and shared it with a third agency, not the viewer's;
* ``shared_by_grant``: another agency shared it with the viewer's agency;
* ``grant_expired``: as above, but the grant itself has ended.

A record is reachable only as the rules in ``harness.expected_allowed`` say for its relation,
and a shared record only while its consent is valid; anything more is a leak.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from safeharbor.core.actors import SYSTEM
from safeharbor.core.permissions import ProtectedSpec, grant_create
from safeharbor.core.permissions.models import AccessGrant

from .harness import Case, Factory, check_membership, granted_categories

RELATIONS = ("own_assigned", "own_unassigned", "other_agency", "shared_by_grant", "grant_expired")
CONSENT_STATES = ("valid", "revoked", "expired")

# make_consent(*, owner, recipient, root, state) -> the consent (source of the grant) and
# the moment the grant must end; revoke(consent) revokes it through the area's service.
ConsentMaker = Callable[..., tuple[models.Model, Any]]
ConsentRevoker = Callable[[models.Model], None]


@dataclass
class MatrixCase:
    relation: str
    consent: str
    case: Case
    viewer: Any  # the user whose membership is checked against this case


@dataclass
class MatrixResult:
    """What one model's run checked: cases, individual checks, and every problem."""

    label: str
    roles: int = 0
    cases: int = 0
    checks: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def leaks(self) -> int:
        return sum(1 for p in self.problems if p.startswith("LEAK"))


def rules_situation(relation: str, consent: str) -> str:
    """The harness situation whose rules apply: sharing counts only while consent is valid."""
    if relation == "shared_by_grant" and consent != "valid":
        return "grant_expired"
    return relation


def _share(
    spec: ProtectedSpec, root: Any, grantee: Any, *, cats: list[str], starts, ends, source
) -> None:
    """Share ``root`` as an accepted referral does: ``grant_create`` by the system actor for
    the consent. A model without data categories cannot be shared that way (the engine
    refuses a grant of nothing); its grant is written directly, still naming the consent as
    its source, so that revoking the consent must end it too."""
    if cats:
        grant_create(
            subject=SYSTEM,
            obj=root,
            grantee_agency=grantee,
            categories=cats,
            starts_at=starts,
            ends_at=ends,
            source=source,
        )
        return
    AccessGrant.objects.create(
        grantee_agency=grantee,
        content_type=ContentType.objects.get_for_model(spec.root.model),
        object_id=root.pk,
        categories=[],
        actions=" view ",
        starts_at=starts,
        ends_at=ends,
        source_type=source._meta.label_lower,
        source_id=str(source.pk),
    )


def build_matrix_cases(
    spec: ProtectedSpec,
    make: Factory,
    *,
    viewers: dict[str, tuple[Any, Any]],
    own: Any,
    other: Any,
    third: Any,
    make_consent: ConsentMaker,
    revoke: ConsentRevoker,
) -> list[MatrixCase]:
    """One record per relation x consent state, shared through consent-backed grants.

    ``viewers`` maps each consent state to (user, colleague) of the own agency, so no
    factory is asked for two records assigned to the same user (some models allow one per
    agency and user)."""
    cats = granted_categories(spec)
    now = timezone.now()
    cases: list[MatrixCase] = []
    for relation in RELATIONS:
        for consent_state in CONSENT_STATES:
            owner = own if relation.startswith("own") else other
            user, colleague = viewers[consent_state]
            assigned = {"own_assigned": user, "own_unassigned": colleague}.get(relation)
            obj = make(agency=owner, assigned_to=assigned)
            root = spec.root_of(obj)
            grantee = own if relation in {"shared_by_grant", "grant_expired"} else third
            consent, consent_ends = make_consent(
                owner=owner, recipient=grantee, root=root, state=consent_state
            )
            if relation == "grant_expired":
                starts, ends = now - timedelta(days=60), now - timedelta(minutes=1)
            else:
                starts, ends = now - timedelta(days=60), consent_ends
            _share(spec, root, grantee, cats=cats, starts=starts, ends=ends, source=consent)
            if consent_state == "revoked":
                revoke(consent)
            situation = rules_situation(relation, consent_state)
            granted = set(cats) if situation == "shared_by_grant" else set()
            cases.append(MatrixCase(relation, consent_state, Case(situation, obj, granted), user))
    return cases


def run_model(
    spec: ProtectedSpec,
    memberships: dict[Any, Any],
    cases: list[MatrixCase],
    roles: list[Any],
    *,
    scopes: tuple[str, ...] = ("agency", "assigned"),
) -> MatrixResult:
    """Check every role (each with every scope) against every case. ``memberships`` maps
    each case's viewer (a user) to their membership in the own agency; the memberships are
    re-pointed at each role and scope in turn."""
    result = MatrixResult(spec.label)
    per_case = 2 * len(spec.actions) + 1  # can() and visible_to() per action, categories
    for role in roles:
        result.roles += 1
        for scope in scopes:
            for membership in memberships.values():
                membership.role = role
                membership.scope = scope
                membership.save(update_fields=["role", "scope"])
            for case in cases:
                result.problems += [
                    f"{p} [{case.relation}, consent {case.consent}]"
                    for p in check_membership(spec, memberships[case.viewer], [case.case])
                ]
            result.cases += len(cases)
            result.checks += len(cases) * per_case
    return result


__all__ = [
    "CONSENT_STATES",
    "RELATIONS",
    "MatrixCase",
    "MatrixResult",
    "build_matrix_cases",
    "rules_situation",
    "run_model",
]
