"""The unit's rules, through the services: victim contacts record the program information
and the referral decision, subjects stay apart, charges cite statutes, figures add up."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from safeharbor.audit.models import AuditEvent
from safeharbor.enforcement import selectors, services
from safeharbor.enforcement.models import Contact, Operation
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 1)


def _operation(membership, **extra):
    values = {
        "name": "Synthetic street outreach",
        "kind": "street",
        "started_on": TODAY,
        "general_area": "82nd Avenue corridor",
        "lead": membership.user,
    }
    values.update(extra)
    return services.operation_create(membership=membership, **values)


def test_victim_contact_needs_program_information_and_referral_decision(detective, police):
    operation = _operation(detective)
    with pytest.raises(ValidationError) as error:
        services.contact_record(
            membership=detective,
            operation=operation,
            role="victim",
            contacted_at=timezone.now(),
        )
    messages = error.value.message_dict
    assert "Synthetic Options Program" in messages["program_info_given"][0]
    assert "referral" in messages["referral_decision"][0]
    assert not Contact.objects.exists()

    contact = services.contact_record(
        membership=detective,
        operation=operation,
        role="victim",
        contacted_at=timezone.now(),
        program_info_given=True,
        referral_decision="declined",
    )
    assert contact.program_informed == police.designated_program


def test_database_refuses_an_uninformed_victim_contact(detective):
    operation = _operation(detective)
    with pytest.raises(IntegrityError), transaction.atomic():
        Contact.objects.create(
            operation=operation, role="victim", contacted_at=timezone.now(), referral_decision=""
        )


def test_victim_contact_refused_when_agency_names_no_program(detective, police):
    police.designated_program = None
    police.save(update_fields=["designated_program"])
    operation = _operation(detective)
    with pytest.raises(ValidationError) as error:
        services.contact_record(
            membership=detective,
            operation=operation,
            role="victim",
            contacted_at=timezone.now(),
            program_info_given=True,
            referral_decision="made",
        )
    assert "designated survivor program" in error.value.message_dict["program_info_given"][0]


def test_buyer_contact_needs_a_buyer_subject(detective):
    operation = _operation(detective)
    exploiter = services.subject_create(membership=detective, kind="exploiter", aliases=["handle"])
    with pytest.raises(ValidationError):
        services.contact_record(
            membership=detective, operation=operation, role="buyer", contacted_at=timezone.now()
        )
    with pytest.raises(ValidationError):
        services.contact_record(
            membership=detective,
            operation=operation,
            role="buyer",
            contacted_at=timezone.now(),
            subject=exploiter,
        )
    buyer = services.subject_create(membership=detective, kind="buyer", given_name="Synthetic")
    contact = services.contact_record(
        membership=detective,
        operation=operation,
        role="buyer",
        contacted_at=timezone.now(),
        subject=buyer,
    )
    assert contact.subject == buyer
    assert buyer.reference.startswith("SUB-")
    assert "Synthetic" not in str(buyer)


def test_subject_identity_is_encrypted_at_rest(detective):
    from django.db import connection

    subject = services.subject_create(
        membership=detective, kind="exploiter", given_name="Zebulonsynthetic"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT given_name FROM enforcement_subject WHERE id = %s", [subject.pk])
        raw = cursor.fetchone()[0]
    assert "Zebulonsynthetic" not in raw


def test_charges_cite_statutes_and_figures_add_up(detective):
    operation = _operation(detective)
    now = timezone.now()
    for decision in ("made", "declined"):
        services.contact_record(
            membership=detective,
            operation=operation,
            role="victim",
            contacted_at=now,
            program_info_given=True,
            referral_decision=decision,
        )
    buyer = services.subject_create(membership=detective, kind="buyer", given_name="B")
    exploiter = services.subject_create(membership=detective, kind="exploiter", given_name="E")
    for subject in (buyer, exploiter):
        arrest = services.arrest_record(
            membership=detective,
            subject=subject,
            arrested_at=now,
            arresting_officer=detective.user,
            operation=operation,
        )
    with pytest.raises(ValidationError):
        services.charge_file(membership=detective, arrest=arrest, citation="  ", charged_on=TODAY)
    charge = services.charge_file(
        membership=detective, arrest=arrest, citation="ORS  167.017", charged_on=TODAY
    )
    assert charge.citation == "ORS 167.017"
    assert charge.statute is None  # no statute record of that citation yet
    figures = selectors.unit_figures(detective, operations=Operation.objects.all())
    assert figures.victims_contacted == 2
    assert figures.information_given_percent == 100
    assert figures.referrals_offered == 2
    assert figures.referrals_made == 1
    assert figures.buyers_arrested == 1
    assert figures.exploiters_charged == 1
    later = selectors.unit_figures(detective, start=TODAY + datetime.timedelta(days=1))
    assert later.victims_contacted == 0


def test_writes_are_audited_and_other_agencies_are_refused(detective, police):
    operation = _operation(detective)
    assert AuditEvent.objects.filter(
        object_type="enforcement.operation", object_id=str(operation.pk), action="create"
    ).exists()
    stranger = factories.membership(factories.UserFactory(), factories.AgencyFactory(), "detective")
    with pytest.raises(PermissionDenied):
        services.contact_record(
            membership=stranger, operation=operation, role="witness", contacted_at=timezone.now()
        )
    with pytest.raises(PermissionDenied):
        services.operation_update(
            membership=stranger, operation=operation, values={"status": "completed"}
        )
    caseworker = factories.membership(factories.UserFactory(), police, "caseworker")
    with pytest.raises(PermissionDenied):
        _operation(caseworker)


def test_officer_sees_only_operations_they_lead_or_recorded(officer, detective):
    mine = _operation(officer)
    theirs = _operation(detective, lead=detective.user)
    visible = set(Operation.objects.visible_to(officer))
    assert mine in visible and theirs not in visible
    assert {mine, theirs} <= set(Operation.objects.visible_to(detective))


def test_completed_operation_needs_end_date_and_investigation_closing(detective):
    operation = _operation(detective)
    with pytest.raises(ValidationError):
        services.operation_update(
            membership=detective, operation=operation, values={"status": "completed"}
        )
    services.operation_update(
        membership=detective,
        operation=operation,
        values={"status": "completed", "ended_on": TODAY},
    )
    investigation = services.investigation_open(
        membership=detective,
        case_number="HTU-1",
        title="Synthetic investigation",
        opened_on=TODAY,
        lead_detective=detective.user,
        operations=[operation],
    )
    with pytest.raises(ValidationError):
        services.investigation_open(
            membership=detective,
            case_number="htu-1",
            title="Again",
            opened_on=TODAY,
            lead_detective=detective.user,
        )
    with pytest.raises(ValidationError):
        services.investigation_update(
            membership=detective, investigation=investigation, values={"status": "closed"}
        )
    closed = services.investigation_update(
        membership=detective,
        investigation=investigation,
        values={"status": "closed", "closed_on": TODAY},
    )
    assert closed.status == "closed"
    assert list(closed.operations.all()) == [operation]


def test_charge_links_the_statute_record_when_one_matches(detective):
    from safeharbor.legislation.models import Jurisdiction, Statute

    oregon = Jurisdiction.objects.create(name="Synthetic State", ocd_id="ocd-jurisdiction/x")
    statute = Statute.objects.create(
        jurisdiction=oregon, citation="ORS 167.007", title="Synthetic statute"
    )
    subject = services.subject_create(membership=detective, kind="buyer", given_name="B")
    arrest = services.arrest_record(
        membership=detective,
        subject=subject,
        arrested_at=timezone.now(),
        arresting_officer=detective.user,
    )
    by_citation = services.charge_file(
        membership=detective, arrest=arrest, citation="ors 167.007", charged_on=TODAY
    )
    assert by_citation.statute == statute
    chosen = services.charge_file(
        membership=detective, arrest=arrest, statute=statute, charged_on=TODAY
    )
    assert chosen.citation == "ORS 167.007"


def test_an_operations_contacts_are_shown_newest_first_a_page_at_a_time(
    detective, police, staff_client
):
    from safeharbor.core.paging import PER_PAGE

    operation = _operation(detective)
    start = timezone.now() - datetime.timedelta(days=1)
    contacts = [
        services.contact_record(
            membership=detective,
            operation=operation,
            role="witness",
            contacted_at=start + datetime.timedelta(minutes=n),
        )
        for n in range(PER_PAGE + 1)
    ]
    client, _user = staff_client("detective", agency=police)
    url = f"/staff/enforcement/operations/{operation.pk}/"
    first = client.get(url).content.decode()
    assert f"/staff/enforcement/contacts/{contacts[-1].pk}/" in first
    assert f"/staff/enforcement/contacts/{contacts[0].pk}/" not in first
    assert "Page 1 of 2" in first
    second = client.get(url + "?contacts_page=2").content.decode()
    assert f"/staff/enforcement/contacts/{contacts[0].pk}/" in second
