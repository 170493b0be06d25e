"""The one place that decides who may do what to which record, and see which categories.

A subject is a ``Membership`` (a user's role in one agency: ``request.membership``), the
``SYSTEM`` actor for background jobs, or None (nobody: always denied). Default deny.

A membership reaches a record of a protected model through, in order:

1. its own agency: the record's owning agency is the membership's, the role allows
   ``<app>.<model>.<action>``, and the scope fits (``agency``: every record of the agency;
   ``assigned``: records whose assignee or creator is the user; adding a top-level record
   needs no assignment);
2. a grant (``AccessGrant``) to its agency (or to the user) that is in force and lists the
   action; the role must still allow the action;
3. break-glass (``view`` only): an own-agency record opened with a reason within the hour.

Which data categories it sees: via its own agency or break-glass, every category of the model
unless the role has a deny pattern ``!<app>.<model>.view.<category>``; via grants, the union
of the grants' categories, within the same limit. Nothing bypasses this: there is no
superuser, and administrators reach records only through a role.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import timedelta
from fnmatch import fnmatchcase
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from safeharbor.audit.choices import AuditAction, AuditOutcome
from safeharbor.audit.services import audit_record
from safeharbor.core.actors import SYSTEM, SystemActor

from .registry import STATISTICAL, ProtectedSpec, spec_for

__all__ = [
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
    "record_export",
    "record_list",
    "record_view",
    "require",
    "role_allows",
    "visible_categories",
    "visible_categories_many",
    "visible_q",
]

BREAK_GLASS_MAX = timedelta(hours=1)
BREAK_GLASS_REVIEW_PERMISSION = "audit.breakglass.review"
MIN_REASON_LENGTH = 10

# The audit action recorded for an engine action (domain verbs are changes).
AUDIT_ACTIONS = {
    "view": AuditAction.VIEW,
    "add": AuditAction.CREATE,
    "change": AuditAction.UPDATE,
    "delete": AuditAction.DELETE,
    "export": AuditAction.EXPORT,
    "share": AuditAction.PERMISSION_CHANGE,
}

OWN = "own"
GRANT = "grant"
BREAK_GLASS = "break_glass"
SYSTEM_SOURCE = "system"


# Subjects -----------------------------------------------------------------------------------


def _membership(subject: Any) -> Any:
    """The membership when it can act at all, else None."""
    from safeharbor.accounts.models import Membership

    if not isinstance(subject, Membership):
        if subject is not None and not isinstance(subject, SystemActor):
            raise TypeError(
                "The permission engine takes a Membership (request.membership), SYSTEM or "
                f"None, not {type(subject).__name__}."
            )
        return None
    if not subject.is_active or not subject.user.is_active or not subject.agency.is_active:
        return None
    return subject


def role_allows(membership: Any, code: str) -> bool:
    """The role's patterns allow ``code`` and no ``!pattern`` denies it."""
    patterns: list[str] = list(membership.role.permissions or [])
    if any(p.startswith("!") and fnmatchcase(code, p[1:]) for p in patterns):
        return False
    return any(not p.startswith("!") and fnmatchcase(code, p) for p in patterns)


def _actor_of(subject: Any) -> Any:
    if isinstance(subject, SystemActor):
        return SYSTEM
    return getattr(subject, "user", None)


def _check_action(spec: ProtectedSpec, action: str) -> None:
    if action not in spec.actions:
        raise ValueError(f"{spec.label} has no action {action!r} (known: {spec.actions}).")


def _role_categories(membership: Any, spec: ProtectedSpec) -> frozenset[str]:
    if not role_allows(membership, spec.code("view")):
        return frozenset()
    return frozenset(c for c in spec.categories if not _denied(membership, spec.code(f"view.{c}")))


def _denied(membership: Any, code: str) -> bool:
    return any(
        p.startswith("!") and fnmatchcase(code, p[1:]) for p in membership.role.permissions or []
    )


# Querysets ----------------------------------------------------------------------------------


def _root_in(spec: ProtectedSpec, ids: Any) -> Q:
    return Q(**{f"{spec.root_path}__in" if spec.root_path else "pk__in": ids})


def _grants_for(membership: Any, spec: ProtectedSpec, action: str | None) -> models.QuerySet:
    from .models import AccessGrant

    grants = AccessGrant.objects.active().filter(
        content_type=ContentType.objects.get_for_model(spec.root.model),
        grantee_agency_id=membership.agency_id,
    )
    grants = grants.filter(Q(grantee_user__isnull=True) | Q(grantee_user_id=membership.user_id))
    if action is not None:
        grants = grants.filter(actions__contains=f" {action} ")
    return grants


def _break_glass_for(membership: Any, spec: ProtectedSpec) -> models.QuerySet:
    from .models import BreakGlassAccess

    now = timezone.now()
    return BreakGlassAccess.objects.filter(
        user_id=membership.user_id,
        membership_id=membership.pk,
        agency_id=membership.agency_id,
        content_type=ContentType.objects.get_for_model(spec.root.model),
        opened_at__lte=now,
        expires_at__gt=now,
    )


def _scope_q(membership: Any, spec: ProtectedSpec) -> Q:
    if membership.effective_scope == "agency":
        return Q()
    paths = spec.assigned_paths
    if not paths:
        return Q(pk__in=[])
    q = Q()
    for path in paths:
        q |= Q(**{path: membership.user_id})
    return q


def visible_q(subject: Any, spec: ProtectedSpec, action: str = "view") -> Q | None:
    """The filter for records ``subject`` may do ``action`` to; None means none at all."""
    _check_action(spec, action)
    if isinstance(subject, SystemActor):
        return Q()
    membership = _membership(subject)
    if membership is None or not role_allows(membership, spec.code(action)):
        return None
    own_agency = Q(**{spec.agency_path: membership.agency_id})
    if action == "add" and spec.parent is None:
        q = own_agency  # a new top-level record needs no assignment yet
    else:
        q = own_agency & _scope_q(membership, spec)
    q |= _root_in(spec, _grants_for(membership, spec, action).values("object_id"))
    if action == "view" and membership.effective_scope != "agency":
        q |= own_agency & _root_in(spec, _break_glass_for(membership, spec).values("object_id"))
    return q


# Single records -----------------------------------------------------------------------------


def _own(membership: Any, spec: ProtectedSpec, obj: models.Model, action: str) -> bool:
    if spec.agency_id_of(obj) != membership.agency_id:
        return False
    if membership.effective_scope == "agency":
        return True
    if action == "add" and spec.parent is None:
        return True
    return membership.user_id in spec.assigned_user_ids_of(obj)


def _root_pk(spec: ProtectedSpec, obj: models.Model) -> Any:
    if not spec.root_path:
        return obj.pk
    return spec.root_of(obj).pk


def access_source(subject: Any, action: str, obj: models.Model) -> str | None:
    """How ``subject`` may do ``action`` to ``obj``: "system", "own", "grant",
    "break_glass", or None when it may not."""
    spec = spec_for(obj)
    _check_action(spec, action)
    if isinstance(subject, SystemActor):
        return SYSTEM_SOURCE
    membership = _membership(subject)
    if membership is None or not role_allows(membership, spec.code(action)):
        return None
    if _own(membership, spec, obj, action):
        return OWN
    root_pk = _root_pk(spec, obj)
    if root_pk is None:
        return None
    if _grants_for(membership, spec, action).filter(object_id=root_pk).exists():
        return GRANT
    if (
        action == "view"
        and spec.agency_id_of(obj) == membership.agency_id
        and _break_glass_for(membership, spec).filter(object_id=root_pk).exists()
    ):
        return BREAK_GLASS
    return None


def can(subject: Any, action: str, obj: models.Model) -> bool:
    """Whether ``subject`` may do ``action`` to ``obj``. Default deny."""
    return access_source(subject, action, obj) is not None


def require(subject: Any, action: str, obj: models.Model) -> str:
    """Like ``can`` but raises ``PermissionDenied`` (and records the refusal); returns the
    source of access."""
    source = access_source(subject, action, obj)
    if source is None:
        spec = spec_for(obj)
        audit_record(
            action=AUDIT_ACTIONS.get(action, AuditAction.UPDATE),
            actor=_actor_of(subject),
            agency_id=getattr(subject, "agency_id", None),
            object_type=spec.label,
            object_id=obj.pk,
            outcome=AuditOutcome.DENIED,
            reason=f"denied_{action}"[:60],
        )
        raise PermissionDenied(_("You do not have access to this record."))
    return source


def visible_categories(subject: Any, obj: models.Model) -> frozenset[str]:
    """The data categories of ``obj`` that ``subject`` may see (empty: none)."""
    spec = spec_for(obj)
    if isinstance(subject, SystemActor):
        return frozenset(spec.categories)
    membership = _membership(subject)
    if membership is None:
        return frozenset()
    allowed = _role_categories(membership, spec)
    if not allowed:
        return frozenset()
    if _own(membership, spec, obj, "view"):
        return allowed
    root_pk = _root_pk(spec, obj)
    if root_pk is None:
        return frozenset()
    shared: set[str] = set()
    for categories in (
        _grants_for(membership, spec, "view")
        .filter(object_id=root_pk)
        .values_list("categories", flat=True)
    ):
        shared.update(categories or [])
    if shared:
        return allowed & frozenset(shared)
    if (
        spec.agency_id_of(obj) == membership.agency_id
        and _break_glass_for(membership, spec).filter(object_id=root_pk).exists()
    ):
        return allowed
    return frozenset()


def _page_facts(spec: ProtectedSpec, objs: Sequence[models.Model]) -> dict[Any, tuple]:
    """(agency id, root pk, assigned user ids) of each object by pk. A top-level record has
    them as its own columns; a child record's come through its parents, read for the whole
    page in one query instead of loading each parent."""
    if spec.parent is None:
        return {
            obj.pk: (spec.agency_id_of(obj), obj.pk, spec.assigned_user_ids_of(obj)) for obj in objs
        }
    paths = [spec.agency_path, spec.root_path, *spec.assigned_paths]
    rows = spec.model._default_manager.filter(pk__in=[o.pk for o in objs]).values_list("pk", *paths)
    return {row[0]: (row[1], row[2], {u for u in row[3:] if u is not None}) for row in rows}


def visible_categories_many(
    subject: Any, objs: Iterable[models.Model]
) -> dict[Any, frozenset[str]]:
    """``visible_categories`` for a page of records of one model, by primary key, in a
    constant number of queries: the role's patterns are read once, and the grants (and
    break-glass openings) for every record of the page are fetched together. Gives exactly
    what ``visible_categories`` gives for each record."""
    objs = [obj for obj in objs if obj.pk is not None]
    if not objs:
        return {}
    spec = spec_for(objs[0])
    if isinstance(subject, SystemActor):
        return {obj.pk: frozenset(spec.categories) for obj in objs}
    membership = _membership(subject)
    allowed = _role_categories(membership, spec) if membership is not None else frozenset()
    if not allowed:
        return {obj.pk: frozenset() for obj in objs}
    agency_scope = membership.effective_scope == "agency"
    facts = _page_facts(spec, objs)
    result: dict[Any, frozenset[str]] = {}
    others: dict[Any, Any] = {}  # pk -> root pk, for records not reached as the agency's own
    for obj in objs:
        if obj.pk not in facts:  # gone since the page was read
            result[obj.pk] = frozenset()
            continue
        agency_id, root_pk, assigned = facts[obj.pk]
        if agency_id == membership.agency_id and (agency_scope or membership.user_id in assigned):
            result[obj.pk] = allowed
        elif root_pk is None:
            result[obj.pk] = frozenset()
        else:
            others[obj.pk] = root_pk
    if not others:
        return result
    shared: dict[Any, set[str]] = {}
    for root_pk, categories in (
        _grants_for(membership, spec, "view")
        .filter(object_id__in=set(others.values()))
        .values_list("object_id", "categories")
    ):
        shared.setdefault(root_pk, set()).update(categories or [])
    glass_candidates = {
        root_pk
        for pk, root_pk in others.items()
        if not shared.get(root_pk) and facts[pk][0] == membership.agency_id
    }
    glass: set[Any] = set()
    if glass_candidates:
        glass = set(
            _break_glass_for(membership, spec)
            .filter(object_id__in=glass_candidates)
            .values_list("object_id", flat=True)
        )
    for pk, root_pk in others.items():
        if shared.get(root_pk):
            result[pk] = allowed & frozenset(shared[root_pk])
        elif root_pk in glass and facts[pk][0] == membership.agency_id:
            result[pk] = allowed
        else:
            result[pk] = frozenset()
    return result


def hidden_fields_many(subject: Any, objs: Iterable[models.Model]) -> dict[Any, set[str]]:
    """``hidden_fields`` for a page of records of one model, by primary key (see
    ``visible_categories_many``)."""
    objs = list(objs)
    if not objs:
        return {}
    spec = spec_for(objs[0])
    every = spec.categorised_fields
    return {
        pk: every - spec.fields_of(cats)
        for pk, cats in visible_categories_many(subject, objs).items()
    }


def hidden_fields(subject: Any, obj: models.Model) -> set[str]:
    """Fields of ``obj`` in categories ``subject`` may not see: pages, serializers and
    exports leave these out."""
    spec = spec_for(obj)
    return spec.categorised_fields - spec.fields_of(visible_categories(subject, obj))


# Audit helpers for reads ----------------------------------------------------------------------


def record_view(subject: Any, obj: models.Model, *, source: str | None = None) -> None:
    """Audit that ``subject`` viewed ``obj``: the field names shown, and how access was had."""
    spec = spec_for(obj)
    shown = sorted(spec.fields_of(visible_categories(subject, obj)))
    audit_record(
        action=AuditAction.VIEW,
        actor=_actor_of(subject),
        agency_id=spec.agency_id_of(obj),
        obj=obj,
        fields=shown,
        reason=source or access_source(subject, "view", obj) or "",
    )


def record_list(subject: Any, model: type[models.Model], *, count: int) -> None:
    """Audit that ``subject`` listed records of ``model`` (how many, never which)."""
    audit_record(
        action=AuditAction.LIST,
        actor=_actor_of(subject),
        agency_id=getattr(subject, "agency_id", None),
        object_type=model._meta.label_lower,
        object_id=count,
        reason="list",
    )


def record_export(
    subject: Any, model: type[models.Model], *, count: int, fields: Iterable[str]
) -> None:
    """Audit an export of ``count`` records of ``model`` with these columns."""
    audit_record(
        action=AuditAction.EXPORT,
        actor=_actor_of(subject),
        agency_id=getattr(subject, "agency_id", None),
        object_type=model._meta.label_lower,
        object_id=count,
        fields=list(fields),
        reason="export",
    )


# Aggregates ---------------------------------------------------------------------------------


def aggregate_counts(
    subject: Any,
    model: type[models.Model],
    *,
    group_by: Sequence[str],
    filters: Q | None = None,
    min_cell: int | None = None,
) -> list[dict[str, Any]]:
    """Counts of ``model`` records grouped by statistical fields, across agencies, for roles
    allowed ``<app>.<model>.aggregate`` (analysts, coordinators). Never returns rows: each
    result is the group's values and ``count``, which is None when the cell is smaller than
    ``min_cell`` (settings.SAFEHARBOR_MIN_CELL_SIZE, default 5)."""
    spec = spec_for(model)
    if not isinstance(subject, SystemActor):
        membership = _membership(subject)
        if membership is None or not role_allows(membership, spec.code("aggregate")):
            raise PermissionDenied(_("Your role cannot see these statistics."))
    statistical = set(spec.categories.get(STATISTICAL, ())) | {spec.agency_path}
    bad = [f for f in group_by if f not in statistical]
    if bad:
        raise ValueError(f"Only statistical fields may be grouped on; not {bad}.")
    threshold = min_cell if min_cell is not None else getattr(settings, "SAFEHARBOR_MIN_CELL", 5)
    queryset = model._default_manager.all()
    if filters is not None:
        queryset = queryset.filter(filters)
    rows = queryset.order_by().values(*group_by).annotate(count=Count("pk")).order_by(*group_by)
    result = []
    for row in rows:
        row = dict(row)
        if row["count"] < threshold:
            row["count"] = None
        result.append(row)
    audit_record(
        action=AuditAction.LIST,
        actor=_actor_of(subject),
        agency_id=getattr(subject, "agency_id", None),
        object_type=spec.label,
        fields=list(group_by),
        reason="aggregate",
    )
    return result


# Grants -------------------------------------------------------------------------------------


def _source_ref(source: models.Model | None) -> tuple[str, str]:
    if source is None:
        return "", ""
    return source._meta.label_lower, str(source.pk)


def grant_create(
    *,
    subject: Any,
    obj: models.Model,
    grantee_agency: Any,
    categories: Iterable[str],
    ends_at: Any,
    actions: Iterable[str] = ("view",),
    starts_at: Any = None,
    grantee_user: Any = None,
    source: models.Model | None = None,
) -> Any:
    """Share ``obj`` (a top-level protected record, and what belongs to it) with another
    agency for these categories and actions until ``ends_at``.

    ``subject`` must be allowed to ``share`` the record, or be ``SYSTEM`` acting for a
    ``source`` whose own service checked consent (an accepted referral). Records of a
    VAWA-covered agency are shared only with such a source.
    """
    from .models import AccessGrant

    spec = spec_for(obj)
    if spec.parent is not None:
        raise ValueError("Grants attach to the top-level record; share its parent instead.")
    if isinstance(subject, SystemActor):
        if source is None:
            raise ValueError("The system actor shares a record only for a source (a referral).")
    else:
        require(subject, "share", obj)
    categories = sorted(set(categories))
    unknown = [c for c in categories if c not in spec.categories]
    if unknown or not categories:
        raise ValidationError(_("Choose at least one data category of this record."))
    actions = sorted(set(actions))
    for action in actions:
        _check_action(spec, action)
    starts_at = starts_at or timezone.now()
    if ends_at <= starts_at:
        raise ValidationError(_("Sharing must end after it starts."))
    owner_id = spec.agency_id_of(obj)
    if grantee_agency.pk == owner_id:
        raise ValidationError(_("A record is already visible inside its own agency."))
    owner = grantee_agency.__class__.objects.get(pk=owner_id)
    if owner.vawa_covered and source is None:
        raise ValidationError(
            _("This agency's records leave it only with the person's written consent.")
        )
    source_type, source_id = _source_ref(source)
    with transaction.atomic():
        grant = AccessGrant.objects.create(
            grantee_agency=grantee_agency,
            grantee_user=grantee_user,
            content_type=ContentType.objects.get_for_model(spec.model),
            object_id=obj.pk,
            categories=categories,
            actions=" " + " ".join(actions) + " ",
            starts_at=starts_at,
            ends_at=ends_at,
            source_type=source_type,
            source_id=source_id,
            created_by=None if isinstance(subject, SystemActor) else subject.user,
        )
        audit_record(
            action=AuditAction.PERMISSION_CHANGE,
            actor=_actor_of(subject),
            agency_id=owner_id,
            obj=obj,
            fields=[f"category:{c}" for c in categories],
            reason="grant_created",
        )
    return grant


def grant_revoke(*, subject: Any, grant: Any, reason: str = "revoked") -> None:
    """End a grant now. The owner (``share``) or the system actor may."""
    from .models import AccessGrant

    model = grant.content_type.model_class()
    obj = model._default_manager.get(pk=grant.object_id)
    if not isinstance(subject, SystemActor):
        require(subject, "share", obj)
    with transaction.atomic():
        AccessGrant.objects.filter(pk=grant.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        audit_record(
            action=AuditAction.PERMISSION_CHANGE,
            actor=_actor_of(subject),
            agency_id=spec_for(model).agency_id_of(obj),
            obj=obj,
            reason=f"grant_{reason}"[:60],
        )


def grant_revoke_for_source(*, source: models.Model, subject: Any = SYSTEM) -> int:
    """Revoke every grant a source made (consent withdrawn or expired): at once."""
    from .models import AccessGrant

    source_type, source_id = _source_ref(source)
    count = 0
    for grant in AccessGrant.objects.filter(
        source_type=source_type, source_id=source_id, revoked_at__isnull=True
    ):
        grant_revoke(subject=subject, grant=grant, reason="source_ended")
        count += 1
    return count


# Break-glass --------------------------------------------------------------------------------


def break_glass_open(*, membership: Any, obj: models.Model, reason: str) -> Any:
    """Open an own-agency record outside the user's scope, for at most an hour.

    Needs a reason; every use is recorded and flagged to the agency's supervisors.
    """
    from safeharbor.accounts.models import Membership
    from safeharbor.accounts.services import notify

    from .models import BreakGlassAccess

    spec = spec_for(obj)
    active = _membership(membership)
    if active is None or not role_allows(active, spec.code("view")):
        raise PermissionDenied(_("Your role cannot open this kind of record."))
    if spec.agency_id_of(obj) != active.agency_id:
        raise PermissionDenied(_("Emergency access works only inside your own agency."))
    if _own(active, spec, obj, "view"):
        raise ValidationError(_("You can already open this record."))
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise ValidationError(
            _("Say why you need this record now (at least %(n)d characters).")
            % {"n": MIN_REASON_LENGTH}
        )
    duration = min(getattr(settings, "BREAK_GLASS_DURATION", BREAK_GLASS_MAX), BREAK_GLASS_MAX)
    root = spec.root_of(obj)
    now = timezone.now()
    with transaction.atomic():
        access = BreakGlassAccess.objects.create(
            user_id=active.user_id,
            membership=active,
            agency_id=active.agency_id,
            content_type=ContentType.objects.get_for_model(spec.root.model),
            object_id=root.pk,
            reason=reason,
            opened_at=now,
            expires_at=now + duration,
        )
        audit_record(
            action=AuditAction.BREAK_GLASS,
            actor=active.user,
            agency_id=active.agency_id,
            obj=root,
            reason="break_glass_opened",
        )
        reviewers = (
            Membership.objects.filter(agency_id=active.agency_id, is_active=True)
            .exclude(user_id=active.user_id)
            .select_related("role")
        )
        reviewer_ids = {
            m.user_id for m in reviewers if role_allows(m, BREAK_GLASS_REVIEW_PERMISSION)
        }
        for user_id in sorted(reviewer_ids):
            notify(
                user_id=user_id,
                title=gettext_noop("Emergency access to review"),
                body=gettext_noop(
                    "A colleague used emergency access to a record. Please review it."
                ),
                link="/staff/audit/break-glass/",
            )
    return access


def break_glass_review(*, membership: Any, access: Any, outcome: str, note: str = "") -> None:
    """A supervisor of the same agency records the review of an emergency access."""
    from .models import BreakGlassAccess

    active = _membership(membership)
    if (
        active is None
        or active.agency_id != access.agency_id
        or not role_allows(active, BREAK_GLASS_REVIEW_PERMISSION)
    ):
        raise PermissionDenied(_("Only a supervisor of this agency can review this."))
    if active.user_id == access.user_id:
        raise PermissionDenied(_("Someone else must review your own emergency access."))
    if outcome not in {"justified", "not_justified"}:
        raise ValidationError(_("Choose whether the access was justified."))
    with transaction.atomic():
        updated = BreakGlassAccess.objects.filter(pk=access.pk, reviewed_at__isnull=True).update(
            reviewed_by_id=active.user_id,
            reviewed_at=timezone.now(),
            review_outcome=outcome,
            review_note=(note or "").strip(),
        )
        if not updated:
            raise ValidationError(_("This emergency access was already reviewed."))
        audit_record(
            action=AuditAction.BREAK_GLASS,
            actor=active.user,
            agency_id=access.agency_id,
            object_type="core.breakglassaccess",
            object_id=access.pk,
            fields=["review_outcome"],
            reason=f"break_glass_{outcome}",
        )
