"""Portland demo data for the Human Trafficking Unit: its roster, a few operations with
contacts (every victim contact notes that New Options for Women information was given),
subjects, arrests and charges, and an investigation. All synthetic; idempotent."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from safeharbor.accounts.models import Agency, Membership

from . import services
from .choices import ContactRole, OperationKind, OperationStatus, Rank, ReferralDecision
from .models import Operation, UnitMember

POLICE = "portland-police"
DEMO_MARK = "(demo)"
ROSTER = [
    ("detective@demo.safeharbor.example", Rank.SERGEANT, "4101"),
    ("officer@demo.safeharbor.example", Rank.OFFICER, "4210"),
    ("officer2@demo.safeharbor.example", Rank.OFFICER, "4211"),
    ("officer3@demo.safeharbor.example", Rank.OFFICER, "4212"),
    ("officer4@demo.safeharbor.example", Rank.OFFICER, "4213"),
    *[(f"detective{n}@demo.safeharbor.example", Rank.DETECTIVE, f"43{n:02d}") for n in range(2, 7)],
]
OPERATIONS = [
    (
        "82nd Avenue outreach night",
        OperationKind.OUTREACH,
        40,
        "82nd Avenue corridor",
        "Met four people; two accepted New Options for Women cards and one asked for a call.",
    ),
    (
        "Online ads response",
        OperationKind.ONLINE,
        25,
        "Online classified sites",
        "Answered ads with a plain offer of help; one young person agreed to meet an advocate.",
    ),
    (
        "Airport hotels reverse sting",
        OperationKind.REVERSE_STING,
        12,
        "Airport-area hotels",
        "Two buyers arrested; no one who was sold was arrested or charged.",
    ),
]


def _membership(email: str, agency: Agency) -> Membership | None:
    return (
        Membership.objects.filter(user__email__iexact=email, agency=agency, is_active=True)
        .select_related("user", "agency", "role")
        .first()
    )


def _police_people(agency: Agency) -> list:
    from safeharbor.survivors.models import Person

    return list(
        Person.objects.filter(agency=agency, source_record_id__startswith="demo-").order_by("id")
    )


@transaction.atomic
def load() -> None:
    police = Agency.objects.filter(slug=POLICE).first()
    if police is None or police.designated_program_id is None:
        return
    lead = _membership("detective@demo.safeharbor.example", police)
    officer = _membership("officer@demo.safeharbor.example", police)
    if lead is None or officer is None:
        return
    for email, rank, badge in ROSTER:
        member = _membership(email, police)
        if member and not UnitMember.objects.filter(agency=police, user=member.user).exists():
            services.unit_member_add(
                membership=lead, user=member.user, rank=rank, badge_number=badge
            )
    if Operation.objects.filter(agency=police, name__endswith=DEMO_MARK).exists():
        return
    today = timezone.localdate()
    people = _police_people(police)
    operations = []
    for index, (name, kind, days_ago, area, summary) in enumerate(OPERATIONS):
        started = today - datetime.timedelta(days=days_ago)
        operations.append(
            services.operation_create(
                membership=lead,
                name=f"{name} {DEMO_MARK}",
                kind=kind,
                started_on=started,
                ended_on=started,
                general_area=area,
                lead=(officer if index == 0 else lead).user,
                participants=[officer.user, lead.user],
                status=OperationStatus.COMPLETED,
                after_action_summary=summary,
            )
        )
    # Victim contacts: every one notes the New Options for Women information; the first
    # person (who signed a consent, see the referrals demo) asked for a referral.
    for index, person in enumerate(people[:4]):
        operation = operations[index % 2]
        at = timezone.make_aware(
            datetime.datetime.combine(operation.started_on, datetime.time(21, 30 + index))
        )
        contact = services.contact_record(
            membership=lead,
            operation=operation,
            role=ContactRole.VICTIM,
            contacted_at=at,
            person=person,
            program_info_given=True,
            referral_decision=ReferralDecision.MADE
            if index in (0, 1)
            else ReferralDecision.DECLINED,
            notes="Talked for twenty minutes; gave a card with the program's number.",
        )
        services.follow_up_record(
            membership=lead,
            contact=contact,
            occurred_on=operation.started_on + datetime.timedelta(days=3),
            kind="phone",
            notes="Checked in by phone; doing all right, will think about meeting an advocate.",
        )
    sting = operations[2]
    at = timezone.make_aware(datetime.datetime.combine(sting.started_on, datetime.time(22, 0)))
    buyers = [
        services.subject_create(
            membership=lead, kind="buyer", given_name=given, family_name="Synthetic"
        )
        for given in ("Corwin", "Dalton")
    ]
    exploiter = services.subject_create(
        membership=lead, kind="exploiter", aliases=["Synthetic Handle 77"], description="Demo"
    )
    for buyer in buyers:
        services.contact_record(
            membership=lead, operation=sting, role=ContactRole.BUYER, contacted_at=at, subject=buyer
        )
        arrest = services.arrest_record(
            membership=lead,
            subject=buyer,
            arrested_at=at,
            arresting_officer=officer.user,
            operation=sting,
            general_area="Airport-area hotels",
        )
        services.charge_file(
            membership=lead,
            arrest=arrest,
            citation="ORS 167.008",
            description="Commercial sexual solicitation",
            charged_on=sting.started_on,
        )
    investigation = services.investigation_open(
        membership=lead,
        case_number="HTU-DEMO-001",
        title="Online ads network",
        opened_on=operations[1].started_on,
        lead_detective=lead.user,
        operations=[operations[1], sting],
        subjects=[exploiter],
        summary="Ads posted from one phone across three sites.",
    )
    arrest = services.arrest_record(
        membership=lead,
        subject=exploiter,
        arrested_at=at + datetime.timedelta(days=2),
        arresting_officer=lead.user,
        investigation=investigation,
        operation=sting,
    )
    services.charge_file(
        membership=lead,
        arrest=arrest,
        citation="ORS 167.017",
        description="Compelling prostitution",
        charged_on=sting.started_on + datetime.timedelta(days=2),
    )
