"""The one permission engine (see ``engine`` for the rules).

``register_protected(Model, ...)`` once per model; ``Model.objects.visible_to(subject,
action)`` for lists (``objects = ProtectedQuerySet.as_manager()``); ``can``/``require`` for one
record; ``visible_categories``/``hidden_fields`` for what of it to show; ``AccessGrant`` with
``grant_create``/``grant_revoke`` for sharing with another agency; ``break_glass_open`` for
emergency access; ``SYSTEM`` for background jobs; ``aggregate_counts`` for statistics that
never return rows; ``statistical_read`` for reports and counts (statistical fields only, no
rows, one audit event per read).
"""

from safeharbor.core.actors import SYSTEM, SystemActor

from .engine import (
    access_source,
    aggregate_counts,
    break_glass_open,
    break_glass_review,
    can,
    grant_create,
    grant_revoke,
    grant_revoke_for_source,
    hidden_fields,
    hidden_fields_many,
    record_export,
    record_list,
    record_view,
    require,
    role_allows,
    visible_categories,
    visible_categories_many,
    visible_q,
)
from .queryset import ProtectedQuerySet
from .registry import (
    BASE_ACTIONS,
    CASE,
    IDENTITY,
    STATISTICAL,
    ProtectedSpec,
    is_protected,
    protected_models,
    register_protected,
    spec_for,
)
from .statistics import (
    StatisticalQuerySet,
    StatisticalRead,
    statistical_access,
    statistical_read,
)

__all__ = [
    "BASE_ACTIONS",
    "CASE",
    "IDENTITY",
    "STATISTICAL",
    "SYSTEM",
    "AccessGrant",
    "BreakGlassAccess",
    "ProtectedQuerySet",
    "ProtectedSpec",
    "StatisticalQuerySet",
    "StatisticalRead",
    "SystemActor",
    "access_source",
    "aggregate_counts",
    "break_glass_open",
    "break_glass_review",
    "can",
    "grant_create",
    "grant_revoke",
    "grant_revoke_for_source",
    "hidden_fields",
    "hidden_fields_many",
    "is_protected",
    "protected_models",
    "record_export",
    "record_list",
    "record_view",
    "register_protected",
    "require",
    "role_allows",
    "spec_for",
    "statistical_access",
    "statistical_read",
    "visible_categories",
    "visible_categories_many",
    "visible_q",
]


def __getattr__(name: str):
    # The models load with the core app; importing them here lazily keeps this package
    # importable from any area's models.py.
    if name in {"AccessGrant", "BreakGlassAccess"}:
        from . import models

        return getattr(models, name)
    raise AttributeError(name)
