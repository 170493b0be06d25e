"""The generic permission test harness.

Every model registered with ``register_protected`` is tested for every role x action x
situation (own agency and assigned, own agency not assigned, another agency, shared by a
grant, grant expired, grant revoked) against the rules written out plainly below; any
record or category the engine lets through that the rules do not is a leak and fails.

An area adds its models by putting a ``permission_factories.py`` in its test package
(``tests/<area>/permission_factories.py``) that calls ``register_factory(Model, make)``,
where ``make(*, agency, assigned_to)`` saves and returns one record owned by ``agency``
(for a child model: a record whose parent is owned by ``agency``) and assigned to the user
``assigned_to`` (or to nobody when None). A protected model with no factory fails the
matrix, so nothing is left untested.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from fnmatch import fnmatchcase
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from safeharbor.core.permissions import (
    ProtectedSpec,
    can,
    protected_models,
    visible_categories,
    visible_categories_many,
)
from safeharbor.core.permissions.models import AccessGrant

Factory = Callable[..., models.Model]

SITUATIONS = (
    "own_assigned",
    "own_unassigned",
    "other_agency",
    "shared_by_grant",
    "grant_expired",
    "grant_revoked",
)
GRANT_ACTIONS = ("view",)

_factories: dict[str, Factory] = {}


def register_factory(model: type[models.Model], make: Factory) -> None:
    """``make(*, agency, assigned_to)`` -> a saved record of ``model``."""
    _factories[model._meta.label_lower] = make


def discover_factories(package: str = "tests") -> dict[str, Factory]:
    """Import every ``<package>.<area>.permission_factories`` module."""
    root = importlib.import_module(package)
    for info in pkgutil.iter_modules(root.__path__):
        if not info.ispkg:
            continue
        name = f"{package}.{info.name}.permission_factories"
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
    return dict(_factories)


def factory_for(spec: ProtectedSpec) -> Factory | None:
    return _factories.get(spec.label)


# The rules, written out independently of the engine ------------------------------------------


def pattern_allows(patterns: list[str], code: str) -> bool:
    if any(p.startswith("!") and fnmatchcase(code, p[1:]) for p in patterns):
        return False
    return any(not p.startswith("!") and fnmatchcase(code, p) for p in patterns)


def expected_allowed(
    *, patterns: list[str], scope: str, spec: ProtectedSpec, action: str, situation: str
) -> bool:
    if not pattern_allows(patterns, spec.code(action)):
        return False
    if situation == "own_assigned" and spec.assigned_paths:
        return True
    if situation in {"own_assigned", "own_unassigned"}:
        # A model with no assignee fields is reached only with the agency scope.
        return scope == "agency" or (action == "add" and spec.parent is None)
    if situation == "shared_by_grant":
        return action in GRANT_ACTIONS
    return False


def expected_categories(
    *, patterns: list[str], scope: str, spec: ProtectedSpec, situation: str, granted: set[str]
) -> set[str]:
    if not expected_allowed(
        patterns=patterns, scope=scope, spec=spec, action="view", situation=situation
    ):
        return set()
    # Seeing the row shows every category, except those a "!<code>.view.<category>" denies.
    role_categories = {
        c
        for c in spec.categories
        if not any(
            p.startswith("!") and fnmatchcase(spec.code(f"view.{c}"), p[1:]) for p in patterns
        )
    }
    if situation == "shared_by_grant":
        return role_categories & granted
    return role_categories


def expected_statistical_reach(*, patterns: list[str], spec: ProtectedSpec) -> str:
    """What a statistical read (``core.permissions.statistical_read``) lets a role count:
    "all" agencies with ``<code>.aggregate``, "own" agency with ``<code>.view``, else "none";
    "none" too when ``!<code>.view.statistical`` denies the category."""
    denied = any(
        p.startswith("!") and fnmatchcase(spec.code("view.statistical"), p[1:]) for p in patterns
    )
    if denied:
        return "none"
    if pattern_allows(patterns, spec.code("aggregate")):
        return "all"
    if pattern_allows(patterns, spec.code("view")):
        return "own"
    return "none"


def value_fields(spec: ProtectedSpec) -> tuple[set[str], set[str]]:
    """The model's categorised value fields (not keys): (statistical, every other category)."""
    values = {
        f.name
        for f in spec.model._meta.concrete_fields
        if not f.is_relation and not f.primary_key and f.name in spec.categorised_fields
    }
    statistical = values & set(spec.categories.get("statistical", ()))
    return statistical, values - statistical


# Building the situations -------------------------------------------------------------------


@dataclass
class Case:
    situation: str
    obj: models.Model
    granted: set[str]


def _grant(spec: ProtectedSpec, obj: models.Model, grantee: Any, *, state: str, cats: list[str]):
    root = spec.root_of(obj)
    now = timezone.now()
    ends = now + timedelta(days=30) if state != "expired" else now - timedelta(minutes=1)
    return AccessGrant.objects.create(
        grantee_agency=grantee,
        content_type=ContentType.objects.get_for_model(spec.root.model),
        object_id=root.pk,
        categories=cats,
        actions=" " + " ".join(GRANT_ACTIONS) + " ",
        starts_at=now - timedelta(days=60),
        ends_at=ends,
        revoked_at=now - timedelta(minutes=1) if state == "revoked" else None,
    )


def granted_categories(spec: ProtectedSpec) -> list[str]:
    """What the harness's grants share: every category but identity (when there is more than
    one), so a grant that leaked identity would show."""
    cats = sorted(spec.root.categories)
    narrowed = [c for c in cats if c != "identity"]
    return narrowed or cats


def build_cases(
    spec: ProtectedSpec, make: Factory, *, user: Any, colleague: Any, own: Any, other: Any
) -> list[Case]:
    cats = granted_categories(spec)
    cases = [
        Case("own_assigned", make(agency=own, assigned_to=user), set()),
        Case("own_unassigned", make(agency=own, assigned_to=colleague), set()),
        Case("other_agency", make(agency=other, assigned_to=None), set()),
    ]
    for situation, state in (
        ("shared_by_grant", "active"),
        ("grant_expired", "expired"),
        ("grant_revoked", "revoked"),
    ):
        obj = make(agency=other, assigned_to=None)
        _grant(spec, obj, own, state=state, cats=cats)
        cases.append(Case(situation, obj, set(cats)))
    return cases


def check_membership(spec: ProtectedSpec, membership: Any, cases: list[Case]) -> list[str]:
    """Every mismatch between the engine and the rules, as readable lines."""
    problems: list[str] = []
    patterns = list(membership.role.permissions)
    scope = membership.effective_scope
    manager = spec.model._default_manager
    for case in cases:
        for action in spec.actions:
            want = expected_allowed(
                patterns=patterns, scope=scope, spec=spec, action=action, situation=case.situation
            )
            got_one = can(membership, action, case.obj)
            got_list = manager.visible_to(membership, action).filter(pk=case.obj.pk).exists()
            if got_one != want or got_list != want:
                kind = "LEAK" if (got_one or got_list) and not want else "MISSING"
                problems.append(
                    f"{kind} {spec.label} role={membership.role.slug} scope={scope} "
                    f"{case.situation} {action}: expected {want}, can()={got_one}, "
                    f"visible_to()={got_list}"
                )
        want_cats = expected_categories(
            patterns=patterns,
            scope=scope,
            spec=spec,
            situation=case.situation,
            granted=case.granted,
        )
        got_cats = set(visible_categories(membership, case.obj))
        if got_cats != want_cats:
            kind = "LEAK" if got_cats - want_cats else "MISSING"
            problems.append(
                f"{kind} {spec.label} role={membership.role.slug} {case.situation} categories: "
                f"expected {sorted(want_cats)}, got {sorted(got_cats)}"
            )
    # A page of records (API lists) must get exactly what each record gets on its own.
    page = visible_categories_many(membership, [case.obj for case in cases])
    for case in cases:
        one = set(visible_categories(membership, case.obj))
        if set(page.get(case.obj.pk, frozenset())) != one:
            problems.append(
                f"PAGE {spec.label} role={membership.role.slug} {case.situation} categories: "
                f"one record {sorted(one)}, in a page {sorted(page.get(case.obj.pk, ()))}"
            )
    return problems


__all__ = [
    "SITUATIONS",
    "Case",
    "build_cases",
    "check_membership",
    "discover_factories",
    "expected_allowed",
    "expected_categories",
    "expected_statistical_reach",
    "factory_for",
    "protected_models",
    "register_factory",
    "value_fields",
]
