"""Performance measures in the shape anti-trafficking grantees report them to the federal
Office for Victims of Crime (its Trafficking Information Management System, TIMS): clients
served in the fiscal year, new and continuing, adults and minors, type of trafficking,
gender, services by type and referral sources.

A client served is a person with a case open at any time in the period. Every
person-level table counts the same clients, so they are suppressed together (one total).
Gender is held encrypted with the person's identity; it is read here only to be counted and
never leaves this module except as a count.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Min, Q
from django.utils.translation import gettext as _

from .registry import Figure, ReportScope
from .suppression import TableInput, suppress_table, suppress_tables

__all__ = ["PerformanceReport", "performance_report"]


@dataclass
class PerformanceReport:
    scope: ReportScope
    clients_served: str
    figures: list[Figure]


def _served_cases(scope: ReportScope):
    from safeharbor.survivors.models import Case

    return Case.objects.filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=scope.start),
        opened_on__lte=scope.end,
        **scope.agency_filter(),
    )


def performance_report(scope: ReportScope) -> PerformanceReport:
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

    cases = _served_cases(scope)
    served_ids = cases.values("person_id")
    bands = dict(Person.objects.filter(pk__in=served_ids).values_list("pk", "age_band"))
    served = set(bands)

    # New: the person's first case (in these agencies) opened in the period.
    first_opened = (
        Case.objects.filter(person_id__in=served_ids, **scope.agency_filter())
        .order_by()
        .values("person_id")
        .annotate(first=Min("opened_on"))
    )
    status = Counter("new" if row["first"] >= scope.start else "continuing" for row in first_opened)

    age = Counter(
        "minor" if band in JUVENILE_BANDS else ("unknown" if band == AgeBand.UNKNOWN else "adult")
        for band in bands.values()
    )

    # Type of trafficking: the person's latest identification that was not ruled out.
    latest_type: dict[int, str] = {}
    for person_id, kind in (
        Identification.objects.filter(person_id__in=served_ids)
        .exclude(status="ruled_out")
        .order_by("person_id", "identified_on", "id")
        .values_list("person_id", "trafficking_type")
    ):
        latest_type[person_id] = kind
    trafficking = Counter(latest_type.get(pk, "none") for pk in served)

    # Gender: decrypted one person at a time, only to be counted.
    gender = Counter(
        (p.sex or Sex.UNKNOWN) for p in Person.objects.filter(pk__in=served_ids).only("pk", "sex")
    )

    # Referral sources: the kind of agency of the earliest referral that brought the person.
    source: dict[int, str] = {}
    for person_id, kind in (
        Referral.objects.filter(receiving_person_id__in=served_ids)
        .order_by("receiving_person_id", "sent_at", "id")
        .values_list("receiving_person_id", "agency__kind")
    ):
        source.setdefault(person_id, kind)
    sources = Counter(source.get(pk, "direct") for pk in served)

    type_rows = [t.value for t in TraffickingType] + ["none"]
    gender_rows = [s.value for s in Sex]
    source_rows = [k.value for k in AgencyKind] + ["direct"]
    inputs = [
        TableInput(
            "status", ["new", "continuing"], ["n"], {(k, "n"): v for k, v in status.items()}
        ),
        TableInput(
            "age", ["adult", "minor", "unknown"], ["n"], {(k, "n"): v for k, v in age.items()}
        ),
        TableInput("type", type_rows, ["n"], {(k, "n"): v for k, v in trafficking.items()}),
        TableInput("gender", gender_rows, ["n"], {(k, "n"): v for k, v in gender.items()}),
        TableInput("source", source_rows, ["n"], {(k, "n"): v for k, v in sources.items()}),
    ]
    for table_input in inputs:
        table_input.row_totals = False
        table_input.column_dimension = "clients"
    status_t, age_t, type_t, gender_t, source_t = suppress_tables(inputs, enabled=scope.suppress)

    services = (
        CaseService.objects.filter(
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
    service_counts = {(r["service_type"], "n"): r["n"] for r in services}
    people_counts = {(r["service_type"], "people"): r["people"] for r in services}
    services_t = suppress_table(
        service_counts, service_rows, ["n"], enabled=scope.suppress, row_totals=False
    )
    # People per service type overlap (one person, several services): no totals.
    people_t = suppress_table(
        people_counts,
        service_rows,
        ["people"],
        enabled=scope.suppress,
        row_totals=False,
        column_totals=False,
    )
    services_t.columns.append("people")
    for row in service_rows:
        services_t.cells[(row, "people")] = people_t.cells[(row, "people")]

    clients = _("Clients")
    figures = [
        Figure(
            slug="new-and-continuing",
            title=_("Clients served: new and continuing in the fiscal year"),
            table=status_t,
            row_header=_("Clients"),
            column_labels={"n": clients},
            row_labels={
                "new": _("New (first case opened in the year)"),
                "continuing": _("Continuing from an earlier year"),
            },
        ),
        Figure(
            slug="adults-and-minors",
            title=_("Adults and minors"),
            table=age_t,
            row_header=_("Age"),
            column_labels={"n": clients},
            row_labels={
                "adult": _("Adults (18 or older)"),
                "minor": _("Minors (under 18)"),
                "unknown": _("Age not known"),
            },
        ),
        Figure(
            slug="trafficking-type",
            title=_("Type of trafficking"),
            table=type_t,
            row_header=_("Type"),
            column_labels={"n": clients},
            row_labels={
                **{t.value: str(t.label) for t in TraffickingType},
                "none": _("No identification recorded"),
            },
        ),
        Figure(
            slug="gender",
            title=_("Gender"),
            table=gender_t,
            row_header=_("Gender"),
            column_labels={"n": clients},
            row_labels={s.value: str(s.label) for s in Sex},
        ),
        Figure(
            slug="referral-sources",
            title=_("Referral sources"),
            table=source_t,
            row_header=_("Referred by"),
            column_labels={"n": clients},
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
            column_labels={"n": _("Services"), "people": _("Clients who received it")},
            row_labels={s.value: str(s.label) for s in ServiceType},
            note=_("A client can receive several kinds of service, so clients are not totalled."),
        ),
    ]
    total = status_t.column_totals["n"]
    return PerformanceReport(scope=scope, clients_served=total.display, figures=figures)
