"""Import of Open States / Open Civic Data bill JSON.

Accepted files: one bill object, a list of bills, or an Open States API v3 page
(``{"results": [...]}``). Both the scraper (pupa) spelling and the API spelling of fields are
understood (``legislative_session`` or ``session``; ``from_organization`` as an object, a
pupa ``~{...}`` reference or a plain ``chamber``).

The whole file is checked before anything is written; a problem refuses the file with the
field and the reason (``ImportRefused``). Then everything is written in one transaction.
Bills are matched by session and identifier, so importing the same file twice changes
nothing; the report says what was created, what changed and what stayed the same. New
actions on a bill notify the people watching it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from safeharbor.audit.choices import AuditAction
from safeharbor.audit.services import audit_record

from .choices import (
    ActionClassification,
    BillClassification,
    Chamber,
    CitationType,
    DocumentKind,
    RelationType,
    SponsorEntity,
    SponsorshipKind,
)
from .models import (
    FUZZY_DATE_RE,
    Bill,
    BillAction,
    BillCitation,
    BillDocument,
    BillSponsorship,
    Jurisdiction,
    LegislativeSession,
    RelatedBill,
    Statute,
)
from .services import Actor, normalise_identifier, notify_watchers, require_perm

MAX_BILLS = 2000
_DATETIME_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}")


class ImportRefused(Exception):
    """The file cannot be imported. ``field`` says where (``bills[0].actions[2].date``)."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


@dataclass
class BillChange:
    """What the import did to one bill."""

    identifier: str
    session: str
    outcome: str  # "created", "updated" or "unchanged"
    changes: list[str] = field(default_factory=list)
    bill_id: int | None = None


@dataclass
class ImportReport:
    """What an import did, bill by bill."""

    bills: list[BillChange] = field(default_factory=list)
    sessions_created: list[str] = field(default_factory=list)
    notifications: int = 0

    def count(self, outcome: str) -> int:
        return sum(1 for b in self.bills if b.outcome == outcome)

    @property
    def created(self) -> int:
        return self.count("created")

    @property
    def updated(self) -> int:
        return self.count("updated")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    def as_dict(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "sessions_created": self.sessions_created,
            "notifications": self.notifications,
            "bills": [
                {
                    "identifier": b.identifier,
                    "session": b.session,
                    "outcome": b.outcome,
                    "changes": b.changes,
                    "id": b.bill_id,
                }
                for b in self.bills
            ],
        }


# Parsing and checking ------------------------------------------------------------------------


@dataclass
class _ParsedBill:
    jurisdiction_ocd_id: str
    session: str
    identifier: str
    fields: dict[str, Any]
    sponsorships: list[tuple[str, str, str]]
    actions: list[dict[str, Any]]
    documents: list[tuple[str, str, str, str, str]]
    citations: list[dict[str, Any]]
    related: list[tuple[str, str, str]]


def parse_file(raw: bytes | str) -> list[Any]:
    """The list of bill objects in a file; refuses what is not JSON or not bills."""
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        raise ImportRefused("file", _("This is not valid JSON (%s).") % error) from error
    if isinstance(data, dict) and "results" in data:
        data = data["results"]
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list) or not data:
        raise ImportRefused("file", _("Expected a bill, a list of bills or an API page."))
    if len(data) > MAX_BILLS:
        raise ImportRefused("file", _("At most %d bills per file.") % MAX_BILLS)
    return data


def _req_str(obj: dict[str, Any], key: str, path: str, *, max_length: int) -> str:
    value = obj.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ImportRefused(f"{path}.{key}", _("Required, as text."))
    return _opt_str(obj, key, path, max_length=max_length)


def _opt_str(obj: dict[str, Any], key: str, path: str, *, max_length: int) -> str:
    value = obj.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ImportRefused(f"{path}.{key}", _("Expected text."))
    value = " ".join(value.split()) if "\n" not in value else value.strip()
    if len(value) > max_length:
        raise ImportRefused(f"{path}.{key}", _("Longer than %d characters.") % max_length)
    return value


def _list(obj: dict[str, Any], key: str, path: str) -> list[Any]:
    value = obj.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise ImportRefused(f"{path}.{key}", _("Expected a list."))
    return value


def _object(value: Any, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ImportRefused(path, _("Expected an object."))
    return value


def _fuzzy_date(value: Any, path: str, *, required: bool) -> str:
    if value in (None, "") and not required:
        return ""
    if not isinstance(value, str):
        raise ImportRefused(path, _("Required, as a date (YYYY-MM-DD)."))
    match = _DATETIME_RE.match(value)
    text = match.group(1) if match else value.strip()
    if not FUZZY_DATE_RE.match(text):
        raise ImportRefused(path, _("Not a date (expected YYYY-MM-DD, YYYY-MM or YYYY)."))
    return text


def _full_date(value: Any, path: str) -> date | None:
    if value in (None, ""):
        return None
    text = _fuzzy_date(value, path, required=True)
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise ImportRefused(path, _("Not a full date (expected YYYY-MM-DD).")) from error


def _chamber(value: Any, path: str) -> str:
    """Chamber from an OCD organization object, a pupa reference or a plain word."""
    if value in (None, ""):
        return ""
    if isinstance(value, str) and value.startswith("~"):
        try:
            value = json.loads(value[1:])
        except ValueError as error:
            raise ImportRefused(path, _("Not a valid organization reference.")) from error
    if isinstance(value, dict):
        value = value.get("classification", "")
    if value in ("", None):
        return ""
    if value not in Chamber.values:
        raise ImportRefused(path, _("Unknown chamber “%s”.") % value)
    return str(value)


def _organization_name(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("name", ""))[:200]
    return ""


def _link(value: Any, path: str) -> str:
    if not isinstance(value, str) or not value.startswith(("http://", "https://")):
        raise ImportRefused(path, _("Expected a web address starting with http:// or https://."))
    if len(value) > 500:
        raise ImportRefused(path, _("Longer than %d characters.") % 500)
    return value


def _parse_bill(raw: Any, path: str, default_jurisdiction: str) -> _ParsedBill:
    bill = _object(raw, path)
    identifier = normalise_identifier(_req_str(bill, "identifier", path, max_length=40))
    session_key = "legislative_session" if "legislative_session" in bill else "session"
    session = _req_str(bill, session_key, path, max_length=60)
    jurisdiction = bill.get("jurisdiction")
    if isinstance(jurisdiction, dict):
        ocd_id = _req_str(jurisdiction, "id", f"{path}.jurisdiction", max_length=200)
    elif isinstance(bill.get("jurisdiction_id"), str):
        ocd_id = bill["jurisdiction_id"]
    else:
        ocd_id = default_jurisdiction
    if not ocd_id:
        raise ImportRefused(f"{path}.jurisdiction", _("Required: which jurisdiction."))
    title = _req_str(bill, "title", path, max_length=5000)

    classifications = _list(bill, "classification", path) or ["bill"]
    if classifications[0] not in BillClassification.values:
        raise ImportRefused(
            f"{path}.classification[0]", _("Unknown classification “%s”.") % classifications[0]
        )
    subjects = []
    for i, subject in enumerate(_list(bill, "subject", path)):
        if not isinstance(subject, str):
            raise ImportRefused(f"{path}.subject[{i}]", _("Expected text."))
        subjects.append(subject.strip()[:200])
    abstract = ""
    for i, item in enumerate(_list(bill, "abstracts", path)):
        abstract = abstract or _req_str(
            _object(item, f"{path}.abstracts[{i}]"),
            "abstract",
            f"{path}.abstracts[{i}]",
            max_length=20000,
        )
    chamber = _chamber(
        bill.get("from_organization", bill.get("chamber")), f"{path}.from_organization"
    )
    source_url = ""
    if bill.get("openstates_url"):
        source_url = _link(bill["openstates_url"], f"{path}.openstates_url")
    else:
        for i, source in enumerate(_list(bill, "sources", path)):
            source_url = source_url or _link(
                _object(source, f"{path}.sources[{i}]").get("url"), f"{path}.sources[{i}].url"
            )

    sponsorships = []
    for i, raw_sponsor in enumerate(_list(bill, "sponsorships", path)):
        p = f"{path}.sponsorships[{i}]"
        sponsor = _object(raw_sponsor, p)
        name = _req_str(sponsor, "name", p, max_length=200)
        kind = sponsor.get("classification") or (
            SponsorshipKind.PRIMARY if sponsor.get("primary") else SponsorshipKind.COSPONSOR
        )
        if kind not in SponsorshipKind.values:
            # Open States also uses words like "author" or "sponsor": the primary flag decides.
            kind = SponsorshipKind.PRIMARY if sponsor.get("primary") else SponsorshipKind.COSPONSOR
        entity = sponsor.get("entity_type") or SponsorEntity.PERSON
        if entity not in SponsorEntity.values:
            raise ImportRefused(f"{p}.entity_type", _("Expected person or organization."))
        sponsorships.append((name, str(entity), str(kind)))

    actions = []
    for i, raw_action in enumerate(_list(bill, "actions", path)):
        p = f"{path}.actions[{i}]"
        action = _object(raw_action, p)
        codes = _list(action, "classification", p)
        for j, code in enumerate(codes):
            if code not in ActionClassification.values:
                raise ImportRefused(
                    f"{p}.classification[{j}]",
                    _("“%s” is not in the Open Civic Data action vocabulary.") % code,
                )
        organization = action.get("organization", action.get("organization_id"))
        actions.append(
            {
                "date": _fuzzy_date(action.get("date"), f"{p}.date", required=True),
                "description": _req_str(action, "description", p, max_length=500),
                "classifications": list(dict.fromkeys(codes)),
                "chamber": _chamber(organization, f"{p}.organization"),
                "organization": _organization_name(organization),
            }
        )

    documents = []
    for kind, key in ((DocumentKind.VERSION, "versions"), (DocumentKind.DOCUMENT, "documents")):
        for i, raw_doc in enumerate(_list(bill, key, path)):
            p = f"{path}.{key}[{i}]"
            doc = _object(raw_doc, p)
            note = _req_str(doc, "note", p, max_length=300)
            when = _fuzzy_date(doc.get("date"), f"{p}.date", required=False)
            links = _list(doc, "links", p)
            if not links:
                raise ImportRefused(f"{p}.links", _("At least one link is needed."))
            for j, raw_link in enumerate(links):
                link = _object(raw_link, f"{p}.links[{j}]")
                url = _link(link.get("url"), f"{p}.links[{j}].url")
                media = _opt_str(link, "media_type", f"{p}.links[{j}]", max_length=100)
                documents.append((str(kind), note, when, url, media))

    citations = []
    for i, raw_citation in enumerate(_list(bill, "citations", path)):
        p = f"{path}.citations[{i}]"
        citation = _object(raw_citation, p)
        citation_type = citation.get("citation_type") or CitationType.PROPOSED
        if citation_type not in CitationType.values:
            raise ImportRefused(f"{p}.citation_type", _("Expected proposed, chapter or final."))
        citations.append(
            {
                "citation": " ".join(_req_str(citation, "citation", p, max_length=100).split()),
                "publication": _opt_str(citation, "publication", p, max_length=100),
                "citation_type": str(citation_type),
                "effective": _full_date(citation.get("effective"), f"{p}.effective"),
                "url": _link(citation["url"], f"{p}.url") if citation.get("url") else "",
            }
        )

    related = []
    for i, raw_related in enumerate(_list(bill, "related_bills", path)):
        p = f"{path}.related_bills[{i}]"
        item = _object(raw_related, p)
        relation = item.get("relation_type") or RelationType.RELATED
        if relation not in RelationType.values:
            raise ImportRefused(f"{p}.relation_type", _("Unknown relation “%s”.") % relation)
        related.append(
            (
                normalise_identifier(_req_str(item, "identifier", p, max_length=40)),
                _req_str(item, "legislative_session", p, max_length=60),
                str(relation),
            )
        )

    return _ParsedBill(
        jurisdiction_ocd_id=ocd_id,
        session=session,
        identifier=identifier,
        fields={
            "title": title,
            "chamber": chamber,
            "classification": classifications[0],
            "subjects": subjects,
            "abstract": abstract,
            "ocd_id": _opt_str(bill, "id", path, max_length=200),
            "source_url": source_url,
        },
        sponsorships=sponsorships,
        actions=actions,
        documents=documents,
        citations=citations,
        related=related,
    )


def check_file(raw: bytes | str, *, default_jurisdiction: str = "") -> list[_ParsedBill]:
    """Parse and check every bill in a file; raises ``ImportRefused`` on the first problem."""
    bills = parse_file(raw)
    parsed = [
        _parse_bill(item, f"bills[{i}]", default_jurisdiction) for i, item in enumerate(bills)
    ]
    known = {
        j.ocd_id
        for j in Jurisdiction.objects.filter(ocd_id__in={p.jurisdiction_ocd_id for p in parsed})
    }
    seen: set[tuple[str, str]] = set()
    for i, bill in enumerate(parsed):
        if bill.jurisdiction_ocd_id not in known:
            raise ImportRefused(
                f"bills[{i}].jurisdiction",
                _("Unknown jurisdiction %s: add it first.") % bill.jurisdiction_ocd_id,
            )
        key = (bill.session, bill.identifier)
        if key in seen:
            raise ImportRefused(
                f"bills[{i}].identifier", _("%s appears twice in this file.") % bill.identifier
            )
        seen.add(key)
    return parsed


# Writing -------------------------------------------------------------------------------------


def import_bills(*, actor: Actor, raw: bytes | str, default_jurisdiction: str = "") -> ImportReport:
    """Check the file, then import every bill in it in one transaction."""
    require_perm(actor, "legislation.bill.add")
    require_perm(actor, "legislation.bill.change")
    parsed = check_file(raw, default_jurisdiction=default_jurisdiction)
    report = ImportReport()
    with transaction.atomic():
        jurisdictions = {
            j.ocd_id: j
            for j in Jurisdiction.objects.filter(ocd_id__in={p.jurisdiction_ocd_id for p in parsed})
        }
        sessions: dict[tuple[int, str], LegislativeSession] = {}
        written: list[tuple[Bill, _ParsedBill]] = []
        for item in parsed:
            jurisdiction = jurisdictions[item.jurisdiction_ocd_id]
            session = sessions.get((jurisdiction.pk, item.session))
            if session is None:
                session = _session_for(jurisdiction, item.session, actor, report)
                sessions[(jurisdiction.pk, item.session)] = session
            bill, change = _write_bill(item, session, actor, report)
            report.bills.append(change)
            written.append((bill, item))
        # Related bills last, so bills in the same file can find one another.
        for bill, item in written:
            if _replace_related(bill, item):
                change = next(c for c in report.bills if c.bill_id == bill.pk)
                if "related bills" not in change.changes:
                    change.changes.append("related bills")
                    if change.outcome == "unchanged":
                        change.outcome = "updated"
    return report


def _session_for(
    jurisdiction: Jurisdiction, key: str, actor: Actor, report: ImportReport
) -> LegislativeSession:
    session = (
        LegislativeSession.objects.filter(jurisdiction=jurisdiction, identifier=key).first()
        or LegislativeSession.objects.filter(jurisdiction=jurisdiction, name=key).first()
    )
    if session is None:
        session = LegislativeSession.objects.create(
            jurisdiction=jurisdiction, identifier=key, name=key
        )
        audit_record(action=AuditAction.CREATE, actor=actor, obj=session, reason="import")
        report.sessions_created.append(key)
    return session


def _action_key(a: dict[str, Any] | BillAction) -> tuple[str, str, tuple[str, ...]]:
    if isinstance(a, BillAction):
        return (a.date, a.description, tuple(a.classifications))
    return (a["date"], a["description"], tuple(a["classifications"]))


def _write_bill(
    item: _ParsedBill, session: LegislativeSession, actor: Actor, report: ImportReport
) -> tuple[Bill, BillChange]:
    bill = (
        Bill.objects.select_for_update().filter(session=session, identifier=item.identifier).first()
    )
    creating = bill is None
    changes: list[str] = []
    if bill is None:
        bill = Bill.objects.create(session=session, identifier=item.identifier, **item.fields)
    else:
        for name, value in item.fields.items():
            if name == "ocd_id" and not value:
                continue
            if getattr(bill, name) != value:
                setattr(bill, name, value)
                changes.append(name)
        if changes:
            bill.save(update_fields=[*changes, "updated_at"])

    # Sponsors, documents and citations: replaced as a whole when they differ.
    current_sponsors = [
        (s.name, s.entity_type, s.classification) for s in bill.sponsorships.order_by("order")
    ]
    if current_sponsors != item.sponsorships:
        bill.sponsorships.all().delete()
        BillSponsorship.objects.bulk_create(
            BillSponsorship(bill=bill, name=n, entity_type=e, classification=c, order=i)
            for i, (n, e, c) in enumerate(item.sponsorships)
        )
        changes.append("sponsors")
    current_documents = sorted(
        (d.kind, d.note, d.date, d.url, d.media_type) for d in bill.documents.all()
    )
    if current_documents != sorted(item.documents):
        bill.documents.all().delete()
        BillDocument.objects.bulk_create(
            BillDocument(bill=bill, kind=k, note=n, date=d, url=u, media_type=m)
            for k, n, d, u, m in item.documents
        )
        changes.append("versions and documents")
    if _replace_citations(bill, item):
        changes.append("citations")

    # Actions: the file is authoritative. Keep matching ones, add new ones, drop the rest.
    existing = {_action_key(a): a for a in bill.actions.all()}
    wanted = [_action_key(a) for a in item.actions]
    removed = [a for key, a in existing.items() if key not in set(wanted)]
    if removed:
        BillAction.objects.filter(pk__in=[a.pk for a in removed]).delete()
        changes.append(_("%d actions removed") % len(removed))
    last = bill.actions.aggregate(last=Max("order"))["last"]
    next_order = 0 if last is None else last + 1
    new_actions = []
    for data in item.actions:
        if _action_key(data) in existing:
            continue
        new_actions.append(BillAction(bill=bill, order=next_order, **data))
        next_order += 1
    if new_actions:
        BillAction.objects.bulk_create(new_actions)
        if not creating:
            changes.append(_("%d new actions") % len(new_actions))
            report.notifications += notify_watchers(bill=bill, actions=new_actions)

    outcome = "created" if creating else ("updated" if changes else "unchanged")
    if outcome != "unchanged":
        audit_record(
            action=AuditAction.CREATE if creating else AuditAction.UPDATE,
            actor=actor,
            obj=bill,
            fields=[c for c in changes if c in item.fields],
            reason="import",
        )
    return bill, BillChange(
        identifier=item.identifier,
        session=session.identifier,
        outcome=outcome,
        changes=[] if creating else changes,
        bill_id=bill.pk,
    )


def _replace_citations(bill: Bill, item: _ParsedBill) -> bool:
    def key(c: dict[str, Any] | BillCitation) -> tuple[Any, ...]:
        if isinstance(c, BillCitation):
            return (c.citation, c.publication, c.citation_type, c.effective, c.url)
        return (c["citation"], c["publication"], c["citation_type"], c["effective"], c["url"])

    if sorted(map(key, bill.citations.all()), key=str) == sorted(map(key, item.citations), key=str):
        return False
    bill.citations.all().delete()
    statutes = {
        s.citation.upper(): s
        for s in Statute.objects.filter(jurisdiction_id=bill.session.jurisdiction_id)
    }
    BillCitation.objects.bulk_create(
        BillCitation(bill=bill, statute=statutes.get(c["citation"].upper()), **c)
        for c in item.citations
    )
    return True


def _replace_related(bill: Bill, item: _ParsedBill) -> bool:
    current = sorted(
        (r.identifier, r.session_identifier, r.relation_type) for r in bill.related_bills.all()
    )
    if current == sorted(item.related):
        _link_related(bill)
        return False
    bill.related_bills.all().delete()
    RelatedBill.objects.bulk_create(
        RelatedBill(bill=bill, identifier=i, session_identifier=s, relation_type=r)
        for i, s, r in item.related
    )
    _link_related(bill)
    return True


def _link_related(bill: Bill) -> None:
    """Point related-bill rows at bills we hold (they may have arrived later)."""
    jurisdiction_id = bill.session.jurisdiction_id
    for row in bill.related_bills.filter(related__isnull=True):
        target = (
            Bill.objects.filter(session__jurisdiction_id=jurisdiction_id, identifier=row.identifier)
            .filter(
                Q(session__identifier=row.session_identifier)
                | Q(session__name=row.session_identifier)
            )
            .exclude(pk=bill.pk)
            .first()
        )
        if target is not None:
            row.related = target
            row.save(update_fields=["related"])
