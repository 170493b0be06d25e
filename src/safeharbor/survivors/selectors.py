"""Reads of the survivors area: search, consent checks, deadlines. Every read starts from
``access.visible`` so the permission engine decides which rows exist for the caller."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone

from safeharbor.accounts.models import Agency, Program
from safeharbor.core import blind_index

from . import access, derive
from .choices import JUVENILE_BANDS, CaseStatus
from .models import Case, Consent, Identification, MissingEpisode, Person, PersonIndexEntry
from .models.missing import REPORT_WITHIN

DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%m-%d-%Y")
MAX_LISTED_MATCHES = 1000


@dataclass(frozen=True)
class PersonFilters:
    """What the list page and the API filter people by."""

    q: str = ""
    age_band: str = ""
    identification_status: str = ""
    assigned_to_me: bool = False
    open_case: bool | None = None
    juvenile: bool | None = None


def parse_query_date(text: str) -> datetime.date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def _looks_like_phone(text: str) -> bool:
    digits = re.sub(r"\D", "", text)
    return len(digits) >= 7 and re.fullmatch(r"[\d\s().+\-]+", text.strip()) is not None


def _index_match(people: QuerySet, kind: str, terms_for: Any, *, need: int = 1) -> QuerySet:
    """People with at least ``need`` distinct matching terms of ``kind``.

    Index values are keyed per agency, so the query's terms are computed for every agency
    (a few HMACs each; a city has tens of agencies). Finding only the agencies whose records
    the caller can see would scan every visible person first; ``people`` (the permission
    engine's rows) decides which matches are returned either way.
    """
    agency_ids = sorted(Agency.objects.values_list("pk", flat=True))
    condition = Q(pk__in=[])
    for agency_id in agency_ids:
        terms = terms_for(agency_id)
        if terms:
            condition |= Q(agency_id=agency_id, value__in=terms)
    matches = (
        PersonIndexEntry.objects.filter(condition, kind=kind)
        .values("person_id")
        .annotate(hits=Count("value", distinct=True))
        .filter(hits__gte=need)
        .values_list("person_id", flat=True)
    )
    # Usually a few hundred people at most: their ids first, so the database checks only
    # those against the permission filter instead of joining every visible person.
    ids = list(matches[: MAX_LISTED_MATCHES + 1])
    if len(ids) <= MAX_LISTED_MATCHES:
        return people.filter(pk__in=ids)
    return people.filter(pk__in=Subquery(matches))


def search_people(people: QuerySet, q: str) -> QuerySet:
    """Narrow ``people`` to those matching a reference, date of birth, phone or name."""
    q = q.strip()
    if not q:
        return people
    reference = derive.normalise_reference(q)
    if reference is not None:
        return people.filter(reference=reference)
    dob = parse_query_date(q)
    if dob is not None:
        return _index_match(
            people,
            PersonIndexEntry.Kind.DOB,
            lambda agency_id: [blind_index.index_for_dob(dob, agency_id=agency_id)],
        )
    if _looks_like_phone(q):
        return _index_match(
            people,
            PersonIndexEntry.Kind.PHONE,
            lambda agency_id: [blind_index.index_for_phone(q, agency_id=agency_id)],
        )
    # A name or alias: every part of the query must sound like a part of one of the names.
    parts = [t for t in blind_index.name_index_terms(q) if t.startswith("p:")]
    if not parts:
        return people.none()
    return _index_match(
        people,
        PersonIndexEntry.Kind.NAME,
        lambda agency_id: [
            blind_index.blind_index(term, agency_id=agency_id, purpose="name") for term in parts
        ],
        need=len(parts),
    )


def people_list(*, membership: Any, filters: PersonFilters) -> QuerySet:
    """The people a member may see, filtered and ordered newest first.

    Lists page in two steps so the database sorts narrow rows, not encrypted ones: take the
    page's ids from this queryset (``.values_list("pk", flat=True)``), then load those rows
    with ``people_rows``. Both steps are a constant number of queries.
    """
    people = access.visible(Person.objects.all(), membership, "view")
    people = search_people(people, filters.q)
    if filters.age_band:
        people = people.filter(age_band=filters.age_band)
    if filters.juvenile is not None:
        juvenile = Q(age_band__in=list(JUVENILE_BANDS))
        people = people.filter(juvenile if filters.juvenile else ~juvenile)
    if filters.assigned_to_me:
        people = people.filter(assigned_to_id=membership.user_id)
    if filters.identification_status:
        people = people.annotate(latest_status=_latest_status()).filter(
            latest_status=filters.identification_status
        )
    if filters.open_case is not None:
        people = people.annotate(has_open_case=_has_open_case()).filter(
            has_open_case=filters.open_case
        )
    return people.order_by("-created_at", "-id")


def _latest_status() -> Subquery:
    latest = Identification.objects.filter(person=OuterRef("pk")).order_by("-identified_on", "-id")
    return Subquery(latest.values("status")[:1])


def _has_open_case() -> Exists:
    return Exists(Case.objects.filter(person=OuterRef("pk")).exclude(status=CaseStatus.CLOSED))


def people_rows(ids: list[int]) -> list[Person]:
    """The list rows for these ids, in this order, with latest identification status, open
    case and missing flags: one query."""
    rows = (
        Person.objects.filter(pk__in=ids)
        .annotate(
            latest_status=_latest_status(),
            has_open_case=_has_open_case(),
            missing_now=Exists(
                MissingEpisode.objects.filter(person=OuterRef("pk"), returned_at__isnull=True)
            ),
        )
        .select_related("agency", "assigned_to")
    )
    by_id = {person.pk: person for person in rows}
    return [by_id[pk] for pk in ids if pk in by_id]


def consent_covers(
    *,
    person: Person,
    recipient: Agency | Program,
    categories: list[str] | tuple[str, ...] | frozenset[str] | set[str],
    purpose: str | None = None,
    at: datetime.datetime | None = None,
) -> bool:
    """Whether one consent in force at ``at`` (default: now) lets ``person``'s agency share
    every one of ``categories`` with ``recipient`` (an agency, or a program: a consent naming
    the program's agency covers its programs too) for ``purpose`` (any, when None).

    Revoked and expired consents never count, from the moment of revocation or expiry.
    """
    at = at or timezone.now()
    return bool(
        consents_covering(
            person=person, recipient=recipient, categories=categories, purpose=purpose, at=at
        )
    )


def consents_covering(
    *,
    person: Person,
    recipient: Agency | Program,
    categories: Any,
    purpose: str | None = None,
    at: datetime.datetime | None = None,
) -> list[Consent]:
    """The consents that cover a disclosure (see ``consent_covers``), newest first."""
    at = at or timezone.now()
    today = timezone.localdate(at)
    in_force = Consent.objects.filter(
        Q(revoked_at__isnull=True) | Q(revoked_at__gt=at),
        person=person,
        signed_on__lte=today,
        expires_on__gt=today,
    )
    if purpose is not None:
        in_force = in_force.filter(purpose=purpose)
    if isinstance(recipient, Program):
        in_force = in_force.filter(
            Q(recipient_programs=recipient) | Q(recipient_agencies=recipient.agency_id)
        )
    else:
        in_force = in_force.filter(recipient_agencies=recipient)
    wanted = set(categories)
    return [
        c
        for c in in_force.distinct().order_by("-signed_on", "-id")
        if wanted.issubset(set(c.categories))
    ]


def missing_deadlines(*, membership: Any, now: datetime.datetime | None = None) -> dict[str, Any]:
    """Open missing episodes the member can see whose police or NCMEC report is overdue or
    due within the next few hours, for the home panel."""
    now = now or timezone.now()
    episodes = access.visible(MissingEpisode.objects.all(), membership, "view")
    unreported = episodes.filter(
        Q(police_reported_at__isnull=True) | Q(ncmec_reported_at__isnull=True)
    )
    rows = list(
        unreported.filter(learned_at__lt=now - REPORT_WITHIN + datetime.timedelta(hours=6))
        .select_related("person")
        .order_by("learned_at", "id")[:50]
    )
    overdue = [e for e in rows if e.police_overdue(now) or e.ncmec_overdue(now)]
    due_soon = [e for e in rows if e not in overdue]
    return {"overdue": overdue, "due_soon": due_soon, "now": now}
