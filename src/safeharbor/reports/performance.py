"""Performance measures in the shape anti-trafficking grantees report them to the federal
Office for Victims of Crime (its Trafficking Information Management System, TIMS): clients
served in the fiscal year, new and continuing, adults and minors, type of trafficking,
gender, services by type and referral sources.

A client served is a person with a case open at any time in the period. Every
person-level table counts the same clients, so they are suppressed together (one total).
Everything is counted in the database through the permission engine's statistical read
(one audited read per report): the age band and the sex are the person record's
statistical copies (``age_band``, ``sex_statistical``), so no one's identity is decrypted.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Min, Q
from django.utils.translation import gettext as _

from .registry import (
    COUNT,
    Figure,
    ReportScope,
    count_figure,
    count_input,
    count_table,
)
from .suppression import suppress_tables

__all__ = ["PerformanceReport", "performance_report"]


@dataclass
class PerformanceReport:
    scope: ReportScope
    clients_served: str
    figures: list[Figure]


def performance_report(scope: ReportScope) -> PerformanceReport:
    with scope.statistics("reports.performance") as read:
        return _performance_report(scope, read)


def _performance_report(scope: ReportScope, read) -> PerformanceReport:
    from safeharbor.accounts.choices import AgencyKind
    from safeharbor.referrals.models import Referral
    from safeharbor.survivors.choices import (
        JUVENILE_BANDS,
        AgeBand,
        ServiceStatus,
        ServiceType,
        Sex,
        TraffickingType,
    )
    from safeharbor.survivors.models import Case, CaseService, Identification, Person

    cases = read.rows(Case).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=scope.start),
        opened_on__lte=scope.end,
        **scope.agency_filter(),
    )
    served_ids = cases.values("person_id")

    # Adults and minors, and gender: the served people grouped by the two statistical values.
    age: Counter[str] = Counter()
    gender: Counter[str] = Counter()
    for band, sex, n in (
        read.rows(Person)
        .filter(pk__in=served_ids)
        .order_by()
        .values_list("age_band", "sex_statistical")
        .annotate(n=Count("pk"))
    ):
        minor = band in JUVENILE_BANDS
        age["minor" if minor else ("unknown" if band == AgeBand.UNKNOWN else "adult")] += n
        gender[sex or Sex.UNKNOWN] += n
    served = sum(age.values())

    # New: the person's first case (in these agencies) opened in the period.
    new = (
        read.rows(Case)
        .filter(person_id__in=served_ids, **scope.agency_filter())
        .order_by()
        .values("person_id")
        .annotate(first=Min("opened_on"))
        .filter(first__gte=scope.start)
        .count()
    )
    status = {"new": new, "continuing": served - new}

    # Type of trafficking: the person's latest identification that was not ruled out.
    latest_type: dict[int, str] = {}
    for person_id, kind in (
        read.rows(Identification)
        .filter(person_id__in=served_ids)
        .exclude(status="ruled_out")
        .order_by("person_id", "identified_on", "id")
        .values_list("person_id", "trafficking_type")
    ):
        latest_type[person_id] = kind
    trafficking = Counter(latest_type.values())
    trafficking["none"] = served - len(latest_type)

    # Referral sources: the kind of agency of the earliest referral that brought the person.
    source: dict[int, str] = {}
    for person_id, kind in (
        read.rows(Referral)
        .filter(receiving_person_id__in=served_ids)
        .order_by("receiving_person_id", "sent_at", "id")
        .values_list("receiving_person_id", "agency__kind")
    ):
        source.setdefault(person_id, kind)
    sources = Counter(source.values())
    sources["direct"] = served - len(source)

    type_rows = [t.value for t in TraffickingType] + ["none"]
    gender_rows = [s.value for s in Sex]
    source_rows = [k.value for k in AgencyKind] + ["direct"]
    status_t, age_t, type_t, gender_t, source_t = suppress_tables(
        [
            count_input("status", status, ["new", "continuing"], column_dimension="clients"),
            count_input("age", age, ["adult", "minor", "unknown"], column_dimension="clients"),
            count_input("type", trafficking, type_rows, column_dimension="clients"),
            count_input("gender", gender, gender_rows, column_dimension="clients"),
            count_input("source", sources, source_rows, column_dimension="clients"),
        ],
        enabled=scope.suppress,
    )

    services = (
        read.rows(CaseService)
        .filter(
            case__in=cases,
            status=ServiceStatus.DELIVERED,
            delivered_on__gte=scope.start,
            delivered_on__lte=scope.end,
        )
        .order_by()
        .values("service_type")
        .annotate(n=Count("pk"), people=Count("case__person_id", distinct=True))
    )
    service_rows = [s.value for s in ServiceType]
    service_counts = {r["service_type"]: r["n"] for r in services}
    people_counts = {r["service_type"]: r["people"] for r in services}
    services_t = count_table(service_counts, service_rows, enabled=scope.suppress)
    # People per service type overlap (one person, several services): no totals.
    people_t = count_table(people_counts, service_rows, enabled=scope.suppress, column_totals=False)
    services_t.columns.append("people")
    for row in service_rows:
        services_t.cells[(row, "people")] = people_t.cells[(row, COUNT)]

    clients = _("Clients")
    figures = [
        count_figure(
            slug="new-and-continuing",
            title=_("Clients served: new and continuing in the fiscal year"),
            table=status_t,
            row_header=_("Clients"),
            counted=clients,
            row_labels={
                "new": _("New (first case opened in the year)"),
                "continuing": _("Continuing from an earlier year"),
            },
        ),
        count_figure(
            slug="adults-and-minors",
            title=_("Adults and minors"),
            table=age_t,
            row_header=_("Age"),
            counted=clients,
            row_labels={
                "adult": _("Adults (18 or older)"),
                "minor": _("Minors (under 18)"),
                "unknown": _("Age not known"),
            },
        ),
        count_figure(
            slug="trafficking-type",
            title=_("Type of trafficking"),
            table=type_t,
            row_header=_("Type"),
            counted=clients,
            row_labels={
                **{t.value: str(t.label) for t in TraffickingType},
                "none": _("No identification recorded"),
            },
        ),
        count_figure(
            slug="gender",
            title=_("Gender"),
            table=gender_t,
            row_header=_("Gender"),
            counted=clients,
            row_labels={s.value: str(s.label) for s in Sex},
        ),
        count_figure(
            slug="referral-sources",
            title=_("Referral sources"),
            table=source_t,
            row_header=_("Referred by"),
            counted=clients,
            row_labels={
                **{k.value: str(k.label) for k in AgencyKind},
                "direct": _("Came directly (no referral recorded)"),
            },
        ),
        Figure(
            slug="services-by-type",
            title=_("Services delivered, by type"),
            table=services_t,
            row_header=_("Service"),
            column_labels={COUNT: _("Services"), "people": _("Clients who received it")},
            row_labels={s.value: str(s.label) for s in ServiceType},
            note=_("A client can receive several kinds of service, so clients are not totalled."),
        ),
    ]
    total = status_t.column_totals[COUNT]
    return PerformanceReport(scope=scope, clients_served=total.display, figures=figures)
