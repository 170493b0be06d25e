"""Which models are protected, how to find each one's owning agency and assignees, its data
categories and the actions it knows. Areas call ``register_protected`` once per model (at
the end of ``models.py`` or in ``AppConfig.ready``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models

__all__ = [
    "BASE_ACTIONS",
    "CASE",
    "IDENTITY",
    "STATISTICAL",
    "ProtectedSpec",
    "protected_models",
    "register_protected",
    "spec_for",
]

BASE_ACTIONS: tuple[str, ...] = ("view", "add", "change", "delete", "export", "share")

# The standard data categories of a record about a person.
IDENTITY = "identity"
CASE = "case"
STATISTICAL = "statistical"


@dataclass
class ProtectedSpec:
    """How the engine reads one protected model."""

    model: type[models.Model]
    agency_field: str
    assigned_fields: tuple[str, ...]
    categories: dict[str, tuple[str, ...]]
    parent: str | None
    extra_actions: tuple[str, ...]
    _resolved: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    @property
    def code_prefix(self) -> str:
        """``<app_label>.<model_name>``, the start of every permission code of the model."""
        return f"{self.model._meta.app_label}.{self.model._meta.model_name}"

    def code(self, action: str) -> str:
        return f"{self.code_prefix}.{action}"

    @property
    def actions(self) -> tuple[str, ...]:
        return BASE_ACTIONS + tuple(a for a in self.extra_actions if a not in BASE_ACTIONS)

    # Paths from this model, through parents, to the root record that grants and break-glass
    # attach to. A root model has an empty path.
    def _resolve(self) -> dict[str, Any]:
        if self._resolved:
            return self._resolved
        if self.parent is None:
            resolved = {
                "root": self,
                "root_path": "",
                "agency_path": self.agency_field,
                "assigned_paths": tuple(self.assigned_fields),
            }
        else:
            parent_model = self.model._meta.get_field(self.parent).related_model
            parent_spec = spec_for(parent_model)
            p = parent_spec._resolve()
            prefix = self.parent + "__"
            resolved = {
                "root": p["root"],
                "root_path": prefix + p["root_path"] if p["root_path"] else self.parent,
                "agency_path": prefix + p["agency_path"],
                "assigned_paths": tuple(prefix + a for a in p["assigned_paths"]),
            }
        self._resolved.update(resolved)
        return resolved

    @property
    def root(self) -> ProtectedSpec:
        return self._resolve()["root"]

    @property
    def root_path(self) -> str:
        return self._resolve()["root_path"]

    @property
    def agency_path(self) -> str:
        return self._resolve()["agency_path"]

    @property
    def assigned_paths(self) -> tuple[str, ...]:
        return self._resolve()["assigned_paths"]

    def _follow(self, obj: models.Model, path: str) -> Any:
        value: Any = obj
        parts = path.split("__")
        for index, part in enumerate(parts):
            if value is None:
                return None
            last = index == len(parts) - 1
            field_obj = value._meta.get_field(part)
            if last and field_obj.is_relation and field_obj.many_to_one:
                return getattr(value, field_obj.attname)  # the id, no query
            value = getattr(value, part)
        return value

    def agency_id_of(self, obj: models.Model) -> int | None:
        return self._follow(obj, self.agency_path)

    def assigned_user_ids_of(self, obj: models.Model) -> set[int]:
        return {v for path in self.assigned_paths if (v := self._follow(obj, path)) is not None}

    def root_of(self, obj: models.Model) -> models.Model:
        return obj if not self.root_path else self._follow_object(obj, self.root_path)

    def _follow_object(self, obj: models.Model, path: str) -> models.Model:
        value: Any = obj
        for part in path.split("__"):
            value = getattr(value, part)
        return value

    def fields_of(self, categories: Iterable[str]) -> set[str]:
        wanted = set(categories)
        return {f for c, names in self.categories.items() if c in wanted for f in names}

    @property
    def categorised_fields(self) -> set[str]:
        return self.fields_of(self.categories)


_registry: dict[str, ProtectedSpec] = {}


def register_protected(
    model: type[models.Model],
    *,
    agency_field: str = "agency",
    assigned_fields: Iterable[str] = ("assigned_to", "created_by"),
    categories: Mapping[str, Iterable[str]] | None = None,
    parent: str | None = None,
    actions: Iterable[str] = (),
) -> ProtectedSpec:
    """Put a model under the permission engine.

    ``agency_field``: the foreign key to the owning ``accounts.Agency``. ``assigned_fields``:
    foreign keys to users who reach the record under the ``assigned`` scope (those that do not
    exist on the model are ignored). ``categories``: data category -> field names (identity,
    case, statistical, ...); fields in no category are record metadata anyone who can see the
    row sees. ``parent``: for a record that belongs to another protected record (a note of a
    person), the foreign key to it; the agency, assignment, grants and break-glass come from
    the parent. ``actions``: the area's domain verbs beyond view/add/change/delete/export/share.
    """
    # Forward fields only: registration may run while models are still loading.
    names = {f.name for f in model._meta._get_fields(reverse=False)}
    if parent is None:
        if agency_field not in names:
            raise ValueError(f"{model._meta.label} has no field {agency_field!r}.")
        assigned = tuple(a for a in assigned_fields if a in names)
    else:
        if parent not in names:
            raise ValueError(f"{model._meta.label} has no parent field {parent!r}.")
        assigned = ()
    cats = {c: tuple(fields) for c, fields in (categories or {}).items()}
    for category, fields in cats.items():
        missing = [f for f in fields if f not in names]
        if missing:
            raise ValueError(f"{model._meta.label}: category {category!r} names {missing}.")
    spec = ProtectedSpec(
        model=model,
        agency_field=agency_field,
        assigned_fields=assigned,
        categories=cats,
        parent=parent,
        extra_actions=tuple(actions),
    )
    _registry[model._meta.label_lower] = spec
    return spec


def spec_for(model: type[models.Model] | models.Model) -> ProtectedSpec:
    label = model._meta.label_lower
    try:
        return _registry[label]
    except KeyError:
        raise LookupError(
            f"{model._meta.label} is not registered with the permission engine; "
            "call register_protected() for it."
        ) from None


def is_protected(model: type[models.Model] | models.Model) -> bool:
    return model._meta.label_lower in _registry


def protected_models() -> list[ProtectedSpec]:
    """Every registered model, for the generic permission test harness."""
    return [_registry[k] for k in sorted(_registry)]
