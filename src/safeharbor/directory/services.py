"""Writes to the directory and events. Every function is keyword-only, checks that the
actor may make the change, and writes its audit event in the same transaction.

Translatable text is passed as the English value plus ``translations``, a mapping from a
language code to field values, e.g. ``{"es": {"title": "Audiencia pública"}}``."""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable, Mapping
from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from modeltranslation.translator import translator

from safeharbor.audit.choices import ActorKind, AuditAction
from safeharbor.audit.services import audit_record

from .choices import EventKind, EventStatus
from .models import (
    Event,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)

Translations = Mapping[str, Mapping[str, str]]


# --- shared helpers ---------------------------------------------------------------------


def actor_may(actor: Any, permission: str) -> bool:
    """True when the actor is the system, or a user with an active membership allowing it."""
    if actor == ActorKind.SYSTEM:
        return True
    if not getattr(actor, "is_authenticated", False):
        return False
    return any(m.has_perm(permission) for m in actor.active_memberships().select_related("role"))


def _require(actor: Any, permission: str) -> None:
    if not actor_may(actor, permission):
        raise PermissionDenied(_("You do not have permission to change public content."))


def _extra_languages() -> list[str]:
    default = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    return [code for code, _name in settings.LANGUAGES if code != default]


def translatable_fields(model: type[models.Model]) -> tuple[str, ...]:
    """Names of the fields of ``model`` that have one column per language."""
    try:
        return tuple(translator.get_options_for_model(model).fields)
    except Exception:  # not registered: nothing is translatable
        return ()


def _apply_values(
    obj: models.Model, values: Mapping[str, Any], translations: Translations | None
) -> list[str]:
    """Sets English values on the ``_en`` columns and other languages on theirs; returns
    the names of the fields changed (for the audit event)."""
    default = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    translated = translatable_fields(type(obj))
    changed: list[str] = []
    for name, value in values.items():
        column = f"{name}_{default}" if name in translated else name
        try:
            current = getattr(obj, column)
        except ObjectDoesNotExist:  # an unset relation on a new object
            current = None
        if current != value:
            changed.append(name)
        setattr(obj, column, value)
        if name in translated:
            # keep the plain column (what queries without a language see) in English too
            obj.__dict__[name] = value
    for language, fields in (translations or {}).items():
        if language not in _extra_languages():
            raise ValidationError(
                _("%(code)s is not one of the site's languages.") % {"code": language}
            )
        for name, value in fields.items():
            if name not in translated:
                raise ValidationError(_("%(field)s cannot be translated.") % {"field": name})
            column = f"{name}_{language}"
            if (getattr(obj, column) or "") != (value or ""):
                changed.append(column)
            setattr(obj, column, value or "")
    return changed


# --- events -----------------------------------------------------------------------------

EVENT_FIELDS = frozenset(
    {
        "kind",
        "title",
        "description",
        "starts_at",
        "ends_at",
        "all_day",
        "time_zone",
        "location",
        "place",
        "online_url",
        "status",
        "is_public",
        "participants",
    }
)


def _zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
        raise ValidationError(
            {"time_zone": _("“%(zone)s” is not a time zone we know.") % {"zone": name}}
        ) from error


def _normalise_event(event: Event) -> None:
    """Makes times aware and, for all-day events, runs them from local midnight of the first
    day to local midnight after the last day (as iCalendar counts them)."""
    zone = _zone(event.time_zone)
    for attr in ("starts_at", "ends_at"):
        value = getattr(event, attr)
        if value is not None and timezone.is_naive(value):
            setattr(event, attr, timezone.make_aware(value, zone))
    if event.all_day:
        first = event.starts_at.astimezone(zone).date()
        last = event.ends_at.astimezone(zone).date() if event.ends_at else first
        if event.ends_at and event.ends_at.astimezone(zone).time() == time(0) and last > first:
            last -= timedelta(days=1)  # already an exclusive midnight end
        event.starts_at = datetime.combine(first, time(0), tzinfo=zone)
        event.ends_at = datetime.combine(last + timedelta(days=1), time(0), tzinfo=zone)
    if event.ends_at is not None and event.ends_at < event.starts_at:
        raise ValidationError({"ends_at": _("The end must be after the start.")})
    if not (event.title or "").strip():
        raise ValidationError({"title": _("Give the event a title.")})


@transaction.atomic
def event_create(
    *,
    actor: Any,
    title: str,
    starts_at: datetime,
    ends_at: datetime | None = None,
    all_day: bool = False,
    time_zone: str | None = None,
    kind: str = EventKind.EVENT,
    description: str = "",
    location: Location | None = None,
    place: str = "",
    online_url: str = "",
    status: str = EventStatus.SCHEDULED,
    is_public: bool = False,
    participants: str = "",
    translations: Translations | None = None,
) -> Event:
    """Creates an event. Naive times are read in the event's time zone (default: the site's)."""
    _require(actor, "directory.event.add")
    event = Event(time_zone=time_zone or settings.TIME_ZONE)
    _apply_values(
        event,
        {
            "kind": kind,
            "title": title,
            "description": description,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "all_day": all_day,
            "location": location,
            "place": place,
            "online_url": online_url,
            "status": status,
            "is_public": is_public,
            "participants": participants,
        },
        translations,
    )
    _normalise_event(event)
    event.full_clean()
    event.save()
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=event,
        fields=sorted(EVENT_FIELDS),
    )
    return event


@transaction.atomic
def event_update(
    *,
    actor: Any,
    event: Event,
    changes: Mapping[str, Any],
    translations: Translations | None = None,
) -> Event:
    """Changes an event; ``changes`` maps field names (see ``EVENT_FIELDS``) to new values.
    Each change raises the event's calendar revision so subscribed calendars update."""
    _require(actor, "directory.event.change")
    unknown = set(changes) - EVENT_FIELDS
    if unknown:
        raise ValidationError(
            _("These cannot be changed here: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    event = Event.objects.select_for_update().get(pk=event.pk)
    changed = _apply_values(event, changes, translations)
    _normalise_event(event)
    event.full_clean()
    if not changed:
        return event
    event.save()
    Event.objects.filter(pk=event.pk).update(sequence=F("sequence") + 1)
    event.refresh_from_db(fields=["sequence"])
    audit_record(action=AuditAction.UPDATE, actor=actor, obj=event, fields=changed)
    return event


def event_agenda_changed(*, event_id: int) -> None:
    """Another area changed what is on an event's agenda (``directory.agenda``): raise the
    event's calendar revision so subscribed calendars fetch it again. The change itself is
    audited by the area that made it; call this inside its transaction."""
    Event.objects.filter(pk=event_id).update(sequence=F("sequence") + 1, updated_at=timezone.now())


def event_cancel(*, actor: Any, event: Event) -> Event:
    """Marks an event cancelled; it stays listed so people learn it is off."""
    return event_update(actor=actor, event=event, changes={"status": EventStatus.CANCELLED})


# --- directory (HSDS) objects -------------------------------------------------------------

DIRECTORY_MODELS: tuple[type[models.Model], ...] = (
    Organization,
    Service,
    Location,
    ServiceAtLocation,
    Phone,
    Schedule,
    Language,
    Taxonomy,
    TaxonomyTerm,
)


def _permission(model: type[models.Model], action: str) -> str:
    return f"directory.{model._meta.model_name}.{action}"


def _touch_services(obj: models.Model) -> None:
    """HSDS ``last_modified`` covers a service and everything hanging off it."""
    now = timezone.now()
    service_ids: set[Any] = set()
    if isinstance(obj, Service):
        return  # auto_now already moved it
    if getattr(obj, "service_id", None):
        service_ids.add(obj.service_id)  # type: ignore[attr-defined]
    if isinstance(obj, Location):
        service_ids.update(obj.service_at_locations.values_list("service_id", flat=True))
    elif getattr(obj, "location_id", None):
        service_ids.update(
            ServiceAtLocation.objects.filter(location_id=obj.location_id).values_list(  # type: ignore[attr-defined]
                "service_id", flat=True
            )
        )
    if isinstance(obj, Organization):
        service_ids.update(obj.services.values_list("id", flat=True))
    if service_ids:
        Service.objects.filter(pk__in=service_ids).update(last_modified=now)


@transaction.atomic
def directory_object_create(
    *,
    actor: Any,
    model: type[models.Model],
    values: Mapping[str, Any],
    terms: Iterable[TaxonomyTerm] | None = None,
    translations: Translations | None = None,
) -> Any:
    """Creates an organization, service, location, phone, schedule, language, taxonomy or
    term. ``values`` are field values (English for translatable text)."""
    if model not in DIRECTORY_MODELS:
        raise ValidationError(_("That is not part of the directory."))
    _require(actor, _permission(model, "add"))
    obj = model()
    _apply_values(obj, values, translations)
    obj.full_clean()
    obj.save()
    if terms is not None and isinstance(obj, Service):
        obj.terms.set(terms)
    _touch_services(obj)
    audit_record(action=AuditAction.CREATE, actor=actor, obj=obj, fields=sorted(values))
    return obj


@transaction.atomic
def directory_object_update(
    *,
    actor: Any,
    obj: models.Model,
    changes: Mapping[str, Any],
    terms: Iterable[TaxonomyTerm] | None = None,
    translations: Translations | None = None,
) -> Any:
    """Changes a directory object; only fields that really changed are audited."""
    model = type(obj)
    if model not in DIRECTORY_MODELS:
        raise ValidationError(_("That is not part of the directory."))
    _require(actor, _permission(model, "change"))
    obj = model.objects.select_for_update().get(pk=obj.pk)
    changed = _apply_values(obj, changes, translations)
    if terms is not None and isinstance(obj, Service):
        new_terms = {t.pk for t in terms}
        if new_terms != set(obj.terms.values_list("pk", flat=True)):
            obj.terms.set(list(new_terms))
            changed.append("terms")
    obj.full_clean()
    if not changed:
        return obj
    obj.save()
    _touch_services(obj)
    audit_record(action=AuditAction.UPDATE, actor=actor, obj=obj, fields=changed)
    return obj


@transaction.atomic
def directory_object_delete(*, actor: Any, obj: models.Model) -> None:
    """Removes a directory object (and what hangs off it, such as a service's phones)."""
    model = type(obj)
    if model not in DIRECTORY_MODELS:
        raise ValidationError(_("That is not part of the directory."))
    _require(actor, _permission(model, "delete"))
    _touch_services(obj)
    audit_record(action=AuditAction.DELETE, actor=actor, obj=obj)
    obj.delete()
