"""Statistical reads: counting protected records through the permission engine.

A report or a count does not look at anyone's record; it groups and counts. It still reads
protected data, so it goes through here, as every read does::

    with statistical_read(SYSTEM, purpose="reports.performance", on_behalf_of=membership,
                          filters={"start": "2025-10-01", "agencies": "all"}) as read:
        cases = read.rows(Case).filter(opened_on__lte=end)
        by_band = read.rows(Person).filter(pk__in=cases.values("person_id"))
        by_band.values("age_band").annotate(n=Count("pk"))

``read.rows(Model)`` is a queryset of the rows the subject may count (below) that:

- reads values only from the model's **statistical** category (``register_protected``'s
  ``categories={"statistical": [...]}``) and from uncategorised record metadata (ids, dates
  the record was written). Keys (foreign keys, the primary key) may be joined and counted
  whatever their category: a key says which record, never what it holds. A value of any
  other category (a name, a note, the sex as recorded in the identity) is refused with
  ``PermissionDenied`` when the queryset is built, through relations too;
- never returns rows: it gives ``values()``, ``values_list()``, ``count()``,
  ``aggregate()`` and ``exists()``, never model instances (so nothing is decrypted and no
  record leaves the count); and it cannot write.

Who may count what:

- ``SYSTEM`` (jobs, and a report that has already decided its reader's scope, see
  ``reports.access``): every agency's rows;
- a membership whose role allows ``<app>.<model>.aggregate`` (analysts, coordinators):
  every agency's rows;
- another membership: its own agency's rows, when its role allows ``<app>.<model>.view``
  and does not deny the statistical category (``!<app>.<model>.view.statistical``);
- anyone else (or None): no rows.

Leaving the ``with`` block writes one audit event (action "list", reason
"statistical_read"): who asked (the user on whose behalf, else the subject), the purpose,
which fields of which models were counted, how access was had and the filter — field names
and filter values only, never a person's id or value.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import F, Q
from django.db.models.query import ModelIterable
from django.utils.translation import gettext as _

from safeharbor.audit.choices import AuditAction
from safeharbor.audit.services import audit_record
from safeharbor.core.actors import SystemActor

from .engine import _actor_of, _denied, _membership, role_allows
from .registry import STATISTICAL, is_protected, spec_for

__all__ = [
    "StatisticalQuerySet",
    "StatisticalRead",
    "statistical_access",
    "statistical_read",
]

ALL_AGENCIES = "all_agencies"
OWN_AGENCY = "own_agency"
SYSTEM_ACCESS = "system"


def statistical_access(subject: Any, model: type[models.Model]) -> str | None:
    """How ``subject`` may count records of ``model``: "system", "all_agencies",
    "own_agency", or None (not at all)."""
    spec = spec_for(model)
    if isinstance(subject, SystemActor):
        return SYSTEM_ACCESS
    membership = _membership(subject)
    if membership is None or _denied(membership, spec.code(f"view.{STATISTICAL}")):
        return None
    if role_allows(membership, spec.code("aggregate")):
        return ALL_AGENCIES
    if role_allows(membership, spec.code("view")):
        return OWN_AGENCY
    return None


# Which fields a statistical read may touch --------------------------------------------------


def _refuse(label: str, name: str) -> PermissionDenied:
    return PermissionDenied(
        _("Statistics may count only statistical fields; %(field)s is not one.")
        % {"field": f"{label}.{name}"}
    )


def check_path(model: type[models.Model], path: str) -> list[str]:
    """Follow a lookup path (``case__person__age_band__in``) and return the protected value
    fields it reads as ``"<label>.<field>"``; raise ``PermissionDenied`` on one that is not
    statistical. Keys and relations pass; lookups and transforms (``__gte``, ``__date``) end
    the walk."""
    read: list[str] = []
    current = model
    for part in path.split("__"):
        if part == "pk":
            return read
        try:
            field = current._meta.get_field(part)
        except FieldDoesNotExist:
            attnames = {f.attname: f for f in current._meta.concrete_fields}
            if part in attnames and attnames[part].is_relation:
                return read  # "person_id": a key
            return read  # a lookup or transform: the field before it was the last
        if field.is_relation:
            current = field.related_model
            continue
        if field.primary_key or not is_protected(current):
            return read
        spec = spec_for(current)
        if field.name in spec.categorised_fields and field.name not in spec.categories.get(
            STATISTICAL, ()
        ):
            raise _refuse(spec.label, field.name)
        if field.name in spec.categorised_fields:
            read.append(f"{spec.label}.{field.name}")
        return read
    return read


def _names_in(value: Any) -> Iterator[str]:
    """Every field path an argument refers to: Q objects, F() and expressions within."""
    if isinstance(value, Q):
        for child in value.children:
            if isinstance(child, tuple):
                yield child[0]
                yield from _names_in(child[1])
            else:
                yield from _names_in(child)
    elif isinstance(value, F):
        yield value.name
    elif hasattr(value, "get_source_expressions") and not isinstance(value, models.QuerySet):
        for source in value.get_source_expressions():
            if source is not None:
                yield from _names_in(source)
        if getattr(value, "filter", None) is not None and isinstance(value.filter, Q):
            yield from _names_in(value.filter)


class StatisticalQuerySet(models.QuerySet):
    """A queryset for counting (see the module): statistical values, no rows, no writes."""

    _read: StatisticalRead | None = None

    def _clone(self) -> StatisticalQuerySet:
        clone = super()._clone()
        clone._read = self._read
        return clone

    def _check(self, *names: str) -> None:
        for name in names:
            if not isinstance(name, str):
                continue
            for read in check_path(self.model, name.lstrip("-?")):
                if self._read is not None:
                    self._read.fields.add(read)

    def _check_args(self, args: Iterable[Any], kwargs: Mapping[str, Any]) -> None:
        for arg in args:
            self._check(*(_names_in(arg) if not isinstance(arg, str) else [arg]))
        for key, value in kwargs.items():
            self._check(key, *_names_in(value))

    def filter(self, *args: Any, **kwargs: Any) -> StatisticalQuerySet:
        self._check_args(args, kwargs)
        return super().filter(*args, **kwargs)

    def exclude(self, *args: Any, **kwargs: Any) -> StatisticalQuerySet:
        self._check_args(args, kwargs)
        return super().exclude(*args, **kwargs)

    def values(self, *fields: Any, **expressions: Any) -> StatisticalQuerySet:
        self._check_args(fields, {})
        self._check(*(n for v in expressions.values() for n in _names_in(v)))
        return super().values(*fields, **expressions)

    def values_list(self, *fields: Any, **kwargs: Any) -> StatisticalQuerySet:
        self._check_args(fields, {})
        return super().values_list(*fields, **kwargs)

    def annotate(self, *args: Any, **kwargs: Any) -> StatisticalQuerySet:
        self._check(*(n for v in [*args, *kwargs.values()] for n in _names_in(v)))
        return super().annotate(*args, **kwargs)

    def alias(self, *args: Any, **kwargs: Any) -> StatisticalQuerySet:
        self._check(*(n for v in [*args, *kwargs.values()] for n in _names_in(v)))
        return super().alias(*args, **kwargs)

    def aggregate(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        self._check(*(n for v in [*args, *kwargs.values()] for n in _names_in(v)))
        return super().aggregate(*args, **kwargs)

    def order_by(self, *fields: Any) -> StatisticalQuerySet:
        self._check(*(f for f in fields if isinstance(f, str)))
        self._check(*(n for f in fields if not isinstance(f, str) for n in _names_in(f)))
        return super().order_by(*fields)

    def distinct(self, *fields: str) -> StatisticalQuerySet:
        self._check(*fields)
        return super().distinct(*fields)

    def _refuse_rows(self) -> None:
        if self._iterable_class is ModelIterable:
            raise PermissionDenied(
                _("Statistics give counts, not records: use values(), count() or aggregate().")
            )

    def _fetch_all(self) -> None:
        self._refuse_rows()
        super()._fetch_all()

    def iterator(self, chunk_size: int | None = None) -> Iterator[Any]:
        self._refuse_rows()
        return super().iterator(chunk_size=chunk_size)

    def _not_here(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionDenied(_("A statistical read cannot change records."))

    update = delete = bulk_update = bulk_create = create = get_or_create = _not_here
    update_or_create = extra = raw = _not_here


class StatisticalRead:
    """One statistical read (a report, a count): the subject, what it is for, the filter,
    and the fields counted so far. Use through ``statistical_read``."""

    def __init__(
        self,
        subject: Any,
        *,
        purpose: str,
        filters: Mapping[str, Any] | None = None,
        on_behalf_of: Any = None,
    ) -> None:
        if subject is None:
            raise PermissionDenied(_("Nobody is signed in to count these records."))
        if not purpose:
            raise ValueError("A statistical read needs a purpose, such as 'reports.dashboard'.")
        self.subject = subject
        self.purpose = purpose
        self.filters = {str(k): str(v) for k, v in (filters or {}).items()}
        self.on_behalf_of = on_behalf_of
        self.fields: set[str] = set()
        self.access: dict[str, str] = {}

    def rows(self, model: type[models.Model]) -> StatisticalQuerySet:
        """The records of ``model`` the subject may count, as a ``StatisticalQuerySet``."""
        spec = spec_for(model)
        access = statistical_access(self.subject, model)
        self.access[spec.label] = access or "none"
        queryset = StatisticalQuerySet(model=model, using=model._default_manager.db)
        queryset._read = self
        if access is None:
            return queryset.none()
        if access == OWN_AGENCY:
            return queryset.filter(**{spec.agency_path: self.subject.agency_id})
        return queryset

    def record(self) -> None:
        """Write the audit event of this read (done on leaving ``statistical_read``)."""
        actor = self.on_behalf_of if self.on_behalf_of is not None else self.subject
        if actor is not None and not isinstance(actor, SystemActor) and hasattr(actor, "user"):
            actor = actor.user
        via = [f"access:{label}={how}" for label, how in sorted(self.access.items())]
        if isinstance(self.subject, SystemActor) and self.on_behalf_of is not None:
            via.append("via:system")
        agency_id = getattr(self.on_behalf_of, "agency_id", None) or getattr(
            self.subject, "agency_id", None
        )
        audit_record(
            action=AuditAction.LIST,
            actor=actor if actor is not None else _actor_of(self.subject),
            agency_id=agency_id,
            object_type="statistics",
            object_id=self.purpose[:64],
            fields=[
                *(f"counted:{name}" for name in sorted(self.fields)),
                *via,
                *(f"filter:{k}={v}" for k, v in sorted(self.filters.items())),
            ],
            reason="statistical_read",
        )


@contextmanager
def statistical_read(
    subject: Any,
    *,
    purpose: str,
    filters: Mapping[str, Any] | None = None,
    on_behalf_of: Any = None,
) -> Iterator[StatisticalRead]:
    """A statistical read, audited once when the block ends (see the module).

    ``subject``: ``SYSTEM`` or a membership. ``on_behalf_of``: the membership a system read
    serves (a report's reader), named in the audit. ``filters``: what the read covers (the
    period, the agencies), recorded as text; never a person's id or value.
    """
    read = StatisticalRead(subject, purpose=purpose, filters=filters, on_behalf_of=on_behalf_of)
    yield read
    read.record()
