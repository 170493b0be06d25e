"""Writes of the legislation area. Each checks the actor's permission, runs in one
transaction and writes its audit event inside it. Views, the API, the importer, the command
line and the demo all call these.

Legislative records are public-interest data owned by the deployment, not by one agency, so
their audit events go to the platform chain.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from modeltranslation.translator import NotRegistered, translator

from safeharbor.accounts.models import User
from safeharbor.accounts.services import notify
from safeharbor.audit.choices import ActorKind, AuditAction
from safeharbor.audit.services import audit_record
from safeharbor.directory.models import Event
from safeharbor.directory.services import event_agenda_changed

from .choices import ActionClassification, Chamber, Stance
from .models import (
    AgendaItem,
    Bill,
    BillAction,
    BillNote,
    BillPosition,
    BillWatch,
    Jurisdiction,
    LegislativeSession,
    Priority,
    Proposal,
    Statute,
)

# A signed-in staff user, or ``ActorKind.SYSTEM`` for the demo loader and command line.
Actor = User | str


def has_perm(actor: Actor, code: str) -> bool:
    """Whether the actor may do ``code`` (e.g. ``legislation.bill.change``) in any of their
    active memberships. The system actor may do everything."""
    if actor == ActorKind.SYSTEM:
        return True
    if not isinstance(actor, User) or not actor.is_active:
        return False
    return any(m.has_perm(code) for m in actor.active_memberships())


def require_perm(actor: Actor, code: str) -> None:
    if not has_perm(actor, code):
        raise PermissionDenied


def _full_clean(obj: Any, exclude: list[str] | None = None) -> None:
    obj.full_clean(exclude=exclude)


# Jurisdictions, sessions, statutes ----------------------------------------------------------


def jurisdiction_create(
    *, actor: Actor, name: str, ocd_id: str, kind: str = "state", url: str = ""
) -> Jurisdiction:
    """Add a jurisdiction (a government that makes law)."""
    require_perm(actor, "legislation.jurisdiction.add")
    with transaction.atomic():
        jurisdiction = Jurisdiction(name=name, ocd_id=ocd_id, kind=kind, url=url)
        _full_clean(jurisdiction)
        jurisdiction.save()
        audit_record(action=AuditAction.CREATE, actor=actor, obj=jurisdiction)
    return jurisdiction


def session_create(
    *,
    actor: Actor,
    jurisdiction: Jurisdiction,
    identifier: str,
    name: str,
    start_date: date | None = None,
    end_date: date | None = None,
) -> LegislativeSession:
    """Add a legislative session to a jurisdiction."""
    require_perm(actor, "legislation.legislativesession.add")
    with transaction.atomic():
        session = LegislativeSession(
            jurisdiction=jurisdiction,
            identifier=identifier,
            name=name,
            start_date=start_date,
            end_date=end_date,
        )
        _full_clean(session)
        session.save()
        audit_record(action=AuditAction.CREATE, actor=actor, obj=session)
    return session


def statute_save(
    *,
    actor: Actor,
    statute: Statute | None = None,
    jurisdiction: Jurisdiction,
    citation: str,
    title_en: str,
    title_es: str = "",
    link: str = "",
    summary_en: str = "",
    summary_es: str = "",
) -> Statute:
    """Create a statute, or change the given one. Citations are kept as written, trimmed."""
    creating = statute is None
    require_perm(actor, "legislation.statute.add" if creating else "legislation.statute.change")
    values = {
        "jurisdiction": jurisdiction,
        "citation": " ".join(citation.split()),
        "title_en": _text(title_en),
        "title_es": _text(title_es),
        "link": link,
        "summary_en": _text(summary_en),
        "summary_es": _text(summary_es),
    }
    with transaction.atomic():
        target = (
            Statute() if statute is None else Statute.objects.select_for_update().get(pk=statute.pk)
        )
        changed = _assign(target, values)
        _full_clean(target)
        target.save()
        audit_record(
            action=AuditAction.CREATE if creating else AuditAction.UPDATE,
            actor=actor,
            obj=target,
            fields=changed,
        )
    return target


def _text(value: str | None) -> str:
    """Trimmed text; None (an empty optional translation) becomes ""."""
    return (value or "").strip()


def _assign(obj: Any, values: dict[str, Any]) -> list[str]:
    """Set attributes; return the names of those that changed. For a translatable field the
    English value also goes in the plain column, which language-less queries read."""
    translated = set(translatable_fields(type(obj)))
    changed = []
    for name, value in values.items():
        try:
            current = getattr(obj, name)
        except ObjectDoesNotExist:  # a foreign key not set yet
            current = None
        if current != value:
            changed.append(name)
        setattr(obj, name, value)
        base, _sep, language = name.rpartition("_")
        if base in translated and language == settings.MODELTRANSLATION_DEFAULT_LANGUAGE:
            obj.__dict__[base] = value
    return changed


def translatable_fields(model: type[models.Model]) -> tuple[str, ...]:
    try:
        return tuple(translator.get_options_for_model(model).fields)
    except NotRegistered:
        return ()


# Bills ----------------------------------------------------------------------------------------


def bill_save(
    *,
    actor: Actor,
    bill: Bill | None = None,
    session: LegislativeSession,
    identifier: str,
    title: str,
    chamber: str = "",
    classification: str = "bill",
    subjects: list[str] | None = None,
    abstract: str = "",
    summary_en: str = "",
    summary_es: str = "",
    source_url: str = "",
) -> Bill:
    """Create a bill by hand, or change one. The identifier is normalised (``sb425`` →
    ``SB 425``) so a later import of the same bill finds it."""
    creating = bill is None
    require_perm(actor, "legislation.bill.add" if creating else "legislation.bill.change")
    values = {
        "session": session,
        "identifier": normalise_identifier(identifier),
        "title": _text(title),
        "chamber": chamber,
        "classification": classification,
        "subjects": [s.strip() for s in (subjects or []) if s.strip()],
        "abstract": _text(abstract),
        "summary_en": _text(summary_en),
        "summary_es": _text(summary_es),
        "source_url": source_url,
    }
    with transaction.atomic():
        target = Bill() if bill is None else Bill.objects.select_for_update().get(pk=bill.pk)
        changed = _assign(target, values)
        _full_clean(target)
        target.save()
        audit_record(
            action=AuditAction.CREATE if creating else AuditAction.UPDATE,
            actor=actor,
            obj=target,
            fields=changed,
        )
    return target


def normalise_identifier(identifier: str) -> str:
    """``sb425``, ``SB  425`` and ``S.B. 425`` all become ``SB 425``."""
    text = "".join(identifier.split()).replace(".", "").upper()
    letters = text.rstrip("0123456789")
    digits = text[len(letters) :]
    if letters and digits:
        return f"{letters} {digits}"
    return " ".join(identifier.split()).upper()


def bill_action_add(
    *,
    actor: Actor,
    bill: Bill,
    date: str,
    description: str,
    classifications: list[str],
    chamber: str = "",
    organization: str = "",
) -> BillAction:
    """Record a new action on a bill and tell everyone watching it (except whoever recorded
    it) in their in-app inbox. The notification is written in the same transaction, so an
    action that fails leaves no message behind."""
    require_perm(actor, "legislation.billaction.add")
    unknown = [c for c in classifications if c not in ActionClassification.values]
    if unknown:
        raise ValidationError(
            {"classifications": _("Unknown classification: %(codes)s") % {"codes": unknown}}
        )
    if chamber and chamber not in Chamber.values:
        raise ValidationError({"chamber": _("Unknown acting body.")})
    with transaction.atomic():
        # Lock the bill so two people adding actions at once get distinct order numbers.
        locked = Bill.objects.select_for_update().get(pk=bill.pk)
        last = locked.actions.aggregate(last=Max("order"))["last"]
        action = BillAction(
            bill=locked,
            date=_text(date),
            description=_text(description),
            classifications=list(dict.fromkeys(classifications)),
            chamber=chamber,
            organization=_text(organization) or _chamber_name(chamber),
            order=0 if last is None else last + 1,
        )
        _full_clean(action)
        action.save()
        audit_record(
            action=AuditAction.CREATE,
            actor=actor,
            obj=action,
            fields=["date", "description", "classifications"],
        )
        notify_watchers(bill=locked, actions=[action], exclude_user_id=_user_id(actor))
    return action


def _chamber_name(chamber: str) -> str:
    return str(Chamber(chamber).label) if chamber in Chamber.values else ""


def _user_id(actor: Actor) -> int | None:
    return actor.pk if isinstance(actor, User) else None


def notify_watchers(
    *, bill: Bill, actions: list[BillAction], exclude_user_id: int | None = None
) -> int:
    """Post one in-app message per watcher about new actions on a bill; returns how many."""
    if not actions:
        return 0
    watcher_ids = list(
        BillWatch.objects.filter(bill=bill, user__is_active=True)
        .exclude(user_id=exclude_user_id)
        .values_list("user_id", flat=True)
    )
    # English source text and values: each watcher reads the title in their own language.
    if len(actions) == 1:
        title = gettext_noop("New action on %(bill)s: %(action)s")
        values: dict[str, str | int] = {
            "bill": bill.identifier,
            "action": actions[0].description[:120],
        }
    else:
        title = gettext_noop("%(count)d new actions on %(bill)s")
        values = {"count": len(actions), "bill": bill.identifier}
    body = "\n".join(f"{a.date}: {a.description}" for a in actions)
    for user_id in watcher_ids:
        notify(
            user_id=user_id,
            title=title,
            title_params=values,
            body=body,
            link=bill.get_absolute_url(),
        )
    return len(watcher_ids)


def bill_watch(*, actor: User, bill: Bill) -> BillWatch:
    """Start watching a bill (doing it twice is harmless)."""
    require_perm(actor, "legislation.bill.view")
    with transaction.atomic():
        watch, created = BillWatch.objects.get_or_create(bill=bill, user=actor)
        if created:
            audit_record(action=AuditAction.CREATE, actor=actor, obj=watch)
    return watch


def bill_unwatch(*, actor: User, bill: Bill) -> None:
    """Stop watching a bill."""
    require_perm(actor, "legislation.bill.view")
    with transaction.atomic():
        watch = BillWatch.objects.filter(bill=bill, user=actor).first()
        if watch is not None:
            audit_record(action=AuditAction.DELETE, actor=actor, obj=watch)
            watch.delete()


def bill_position_set(
    *,
    actor: Actor,
    bill: Bill,
    stance: str,
    priority: str,
    rationale: str = "",
    owner: User | None = None,
    is_public: bool = False,
) -> BillPosition:
    """Set (or change) the city's position on a bill."""
    require_perm(actor, "legislation.billposition.change")
    if stance not in Stance.values:
        raise ValidationError({"stance": _("Choose support, oppose, amend or monitor.")})
    with transaction.atomic():
        Bill.objects.select_for_update().get(pk=bill.pk)
        position = BillPosition.objects.filter(bill=bill).first()
        creating = position is None
        position = position or BillPosition(bill=bill)
        changed = _assign(
            position,
            {
                "stance": stance,
                "priority": priority,
                "rationale": _text(rationale),
                "owner": owner,
                "is_public": is_public,
            },
        )
        _full_clean(position, exclude=["bill"])
        position.save()
        audit_record(
            action=AuditAction.CREATE if creating else AuditAction.UPDATE,
            actor=actor,
            obj=position,
            fields=changed,
        )
    return position


def bill_note_add(*, actor: User, bill: Bill, body: str) -> BillNote:
    """Add an internal note to a bill."""
    require_perm(actor, "legislation.billnote.add")
    if not _text(body):
        raise ValidationError({"body": _("Write the note first.")})
    with transaction.atomic():
        note = BillNote.objects.create(bill=bill, author=actor, body=_text(body))
        audit_record(action=AuditAction.CREATE, actor=actor, obj=note, fields=["body"])
    return note


# Priorities and proposals -----------------------------------------------------------------


def priority_save(
    *,
    actor: Actor,
    priority: Priority | None = None,
    title_en: str,
    objective_en: str,
    issue_en: str,
    title_es: str = "",
    objective_es: str = "",
    issue_es: str = "",
    session: LegislativeSession | None = None,
    bills: list[Bill] | None = None,
    is_public: bool = False,
    order: int = 0,
) -> Priority:
    """Create or change one of the city's legislative priorities and the bills it follows."""
    creating = priority is None
    require_perm(actor, "legislation.priority.add" if creating else "legislation.priority.change")
    values = {
        "title_en": _text(title_en),
        "title_es": _text(title_es),
        "objective_en": _text(objective_en),
        "objective_es": _text(objective_es),
        "issue_en": _text(issue_en),
        "issue_es": _text(issue_es),
        "session": session,
        "is_public": is_public,
        "order": order,
    }
    with transaction.atomic():
        target = (
            Priority()
            if priority is None
            else Priority.objects.select_for_update().get(pk=priority.pk)
        )
        changed = _assign(target, values)
        _full_clean(target)
        target.save()
        if bills is not None:
            before = set(target.bills.values_list("pk", flat=True))
            target.bills.set(bills)
            if before != {b.pk for b in bills}:
                changed.append("bills")
        audit_record(
            action=AuditAction.CREATE if creating else AuditAction.UPDATE,
            actor=actor,
            obj=target,
            fields=changed,
        )
    return target


def proposal_save(
    *,
    actor: Actor,
    priority: Priority,
    proposal: Proposal | None = None,
    text_en: str,
    text_es: str = "",
    statutes: list[Statute] | None = None,
    bills: list[Bill] | None = None,
    order: int | None = None,
) -> Proposal:
    """Create or change a proposal under a priority, with the statutes and bills it concerns.
    A new proposal goes last unless an order is given."""
    require_perm(actor, "legislation.priority.change")
    with transaction.atomic():
        Priority.objects.select_for_update().get(pk=priority.pk)
        creating = proposal is None
        target = proposal or Proposal(priority=priority)
        if order is None and creating:
            last = priority.proposals.aggregate(last=Max("order"))["last"]
            order = 0 if last is None else last + 1
        values: dict[str, Any] = {"text_en": _text(text_en), "text_es": _text(text_es)}
        if order is not None:
            values["order"] = order
        changed = _assign(target, values)
        _full_clean(target, exclude=["priority"])
        target.save()
        if statutes is not None:
            target.statutes.set(statutes)
            changed.append("statutes")
        if bills is not None:
            target.bills.set(bills)
            changed.append("bills")
        audit_record(
            action=AuditAction.CREATE if creating else AuditAction.UPDATE,
            actor=actor,
            obj=target,
            fields=changed,
        )
    return target


PROPOSAL_MOVES = ("up", "down")


def proposal_move(*, actor: Actor, proposal: Proposal, direction: str) -> Proposal:
    """Move a proposal one place up or down among its priority's proposals (the order the
    public page lists them in). The priority's proposals are locked and renumbered 0, 1, 2,
    ... in one transaction, so two people moving at once cannot leave a gap or a tie."""
    require_perm(actor, "legislation.priority.change")
    if direction not in PROPOSAL_MOVES:
        raise ValidationError({"direction": _("Move a proposal up or down.")})
    with transaction.atomic():
        Priority.objects.select_for_update().get(pk=proposal.priority_id)
        ordered = list(
            Proposal.objects.select_for_update()
            .filter(priority_id=proposal.priority_id)
            .order_by("order", "id")
        )
        index = next((i for i, p in enumerate(ordered) if p.pk == proposal.pk), None)
        if index is None:
            raise ValidationError(_("This proposal is no longer under this priority."))
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(ordered):
            raise ValidationError(
                _("This proposal is already first.")
                if direction == "up"
                else _("This proposal is already last.")
            )
        ordered[index], ordered[other] = ordered[other], ordered[index]
        for position, item in enumerate(ordered):
            if item.order != position:
                item.order = position
                item.save(update_fields=["order"])
        moved = ordered[other]
        audit_record(action=AuditAction.UPDATE, actor=actor, obj=moved, fields=["order"])
    return moved


# Agenda items (bills on an event's agenda) ------------------------------------------------


def agenda_item_add(
    *,
    actor: Actor,
    event: Event,
    bill: Bill,
    description_en: str = "",
    description_es: str = "",
    order: int | None = None,
) -> AgendaItem:
    """Put a bill on an event's agenda (last, unless an order is given)."""
    require_perm(actor, "legislation.agendaitem.add")
    with transaction.atomic():
        if AgendaItem.objects.filter(event=event, bill=bill).exists():
            raise ValidationError(
                {"event": _("%(bill)s is already on this event's agenda.") % {"bill": bill}}
            )
        if order is None:
            last = AgendaItem.objects.filter(event=event).aggregate(last=Max("order"))["last"]
            order = 0 if last is None else last + 1
        item = AgendaItem(event=event, bill=bill, order=order)
        _assign(item, {"description_en": _text(description_en)})
        _assign(item, {"description_es": _text(description_es)})
        item.full_clean()
        item.save()
        audit_record(action=AuditAction.CREATE, actor=actor, obj=item, fields=["bill", "event"])
        event_agenda_changed(event_id=event.pk)
    return item


def agenda_item_remove(*, actor: Actor, item: AgendaItem) -> None:
    """Take a bill off an event's agenda."""
    require_perm(actor, "legislation.agendaitem.delete")
    with transaction.atomic():
        audit_record(action=AuditAction.DELETE, actor=actor, obj=item)
        item.delete()
        event_agenda_changed(event_id=item.event_id)
