"""The permission engine beyond the matrix: grants, break-glass, system actor, categories,
aggregates, audit of reads and refusals, and no superuser bypass."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from safeharbor.accounts.models import Notification, Role, User
from safeharbor.audit.models import AuditEvent
from safeharbor.core import permissions as perms
from safeharbor.core.permissions.models import AccessGrant, BreakGlassAccess
from safeharbor.core.testing.models import Specimen, SpecimenNote
from tests import factories

pytestmark = pytest.mark.django_db


def make_role(slug="tester", permissions=("core_testing.*",), scope="assigned"):
    return Role.objects.get_or_create(
        slug=slug,
        defaults={"name": slug, "permissions": list(permissions), "default_scope": scope},
    )[0]


def member(agency, role, **extra):
    user = factories.UserFactory()
    from safeharbor.accounts.models import Membership

    return Membership.objects.create(user=user, agency=agency, role=role, **extra)


def specimen(agency, assigned_to=None, **extra):
    extra.setdefault("age_band", "15-17")
    return Specimen.objects.create(
        agency=agency, assigned_to=assigned_to, name="Synthetic Person", **extra
    )


def test_user_model_has_no_superuser_flag():
    field_names = {f.name for f in User._meta.get_fields()}
    assert "is_superuser" not in field_names
    assert "is_staff" not in field_names


def test_an_account_administrator_cannot_see_identity_without_a_role():
    agency = factories.AgencyFactory()
    admin = member(agency, factories.role("admin"))
    record = specimen(agency, assigned_to=admin.user)
    assert not perms.can(admin, "view", record)
    assert perms.visible_categories(admin, record) == frozenset()
    assert not Specimen.objects.visible_to(admin).exists()


def test_unknown_actions_are_a_programming_error():
    agency = factories.AgencyFactory()
    with pytest.raises(ValueError, match="no action"):
        perms.can(member(agency, make_role()), "veiw", specimen(agency))


def test_engine_refuses_a_user_instead_of_a_membership():
    agency = factories.AgencyFactory()
    with pytest.raises(TypeError, match="Membership"):
        perms.can(factories.UserFactory(), "view", specimen(agency))


def test_require_records_the_refusal_and_raises():
    agency, other = factories.AgencyFactory(), factories.AgencyFactory()
    caseworker = member(agency, make_role())
    record = specimen(other)
    with pytest.raises(PermissionDenied):
        perms.require(caseworker, "change", record)
    event = AuditEvent.objects.filter(outcome="denied").latest("id")
    assert event.action == "update"
    assert event.object_type == "core_testing.specimen"
    assert event.object_id == str(record.pk)
    assert event.actor_id == caseworker.user_id
    assert event.reason == "denied_change"


def test_domain_verbs_follow_the_role():
    agency = factories.AgencyFactory()
    allowed = member(agency, make_role("closer", ["core_testing.specimen.approve_closure"]))
    refused = member(agency, make_role("viewer", ["core_testing.specimen.view"]))
    record = specimen(agency, assigned_to=allowed.user)
    record.created_by = refused.user
    record.save()
    assert perms.can(allowed, "approve_closure", record)
    assert not perms.can(refused, "approve_closure", record)


def test_child_records_follow_their_parent():
    agency = factories.AgencyFactory()
    worker = member(agency, make_role())
    mine = SpecimenNote.objects.create(specimen=specimen(agency, worker.user), text="a")
    theirs = SpecimenNote.objects.create(specimen=specimen(agency), text="b")
    assert list(SpecimenNote.objects.visible_to(worker)) == [mine]
    assert perms.can(worker, "view", mine) and not perms.can(worker, "view", theirs)


def test_category_deny_pattern_hides_identity_but_not_the_row():
    agency = factories.AgencyFactory()
    limited = member(
        agency,
        make_role("limited", ["core_testing.*", "!core_testing.specimen.view.identity"], "agency"),
    )
    record = specimen(agency)
    assert perms.can(limited, "view", record)
    assert perms.visible_categories(limited, record) == {"case", "statistical"}
    assert perms.hidden_fields(limited, record) == {"name", "date_of_birth", "aliases", "phone"}


# Grants -----------------------------------------------------------------------------------


def test_grant_shares_chosen_categories_until_it_ends_or_is_revoked():
    owner_agency, partner = factories.AgencyFactory(), factories.AgencyFactory()
    owner = member(owner_agency, make_role("sharer", ["core_testing.*"], "agency"))
    receiver = member(partner, make_role("receiver", ["core_testing.*"], "agency"))
    record = specimen(owner_agency)
    assert not perms.can(receiver, "view", record)

    grant = perms.grant_create(
        subject=owner,
        obj=record,
        grantee_agency=partner,
        categories=["case", "statistical"],
        ends_at=timezone.now() + timedelta(days=30),
    )
    assert perms.can(receiver, "view", record)
    assert not perms.can(receiver, "change", record)
    assert perms.visible_categories(receiver, record) == {"case", "statistical"}
    assert "name" in perms.hidden_fields(receiver, record)
    assert list(Specimen.objects.visible_to(receiver)) == [record]
    event = AuditEvent.objects.filter(reason="grant_created").get()
    assert event.agency_id == owner_agency.pk
    assert event.fields == ["category:case", "category:statistical"]

    perms.grant_revoke(subject=owner, grant=grant)
    assert not perms.can(receiver, "view", record)
    assert not Specimen.objects.visible_to(receiver).exists()


def test_grant_to_one_person_does_not_reach_their_colleagues():
    owner_agency, partner = factories.AgencyFactory(), factories.AgencyFactory()
    role = make_role("receiver", ["core_testing.*"], "agency")
    chosen, colleague = member(partner, role), member(partner, role)
    record = specimen(owner_agency)
    perms.grant_create(
        subject=perms.SYSTEM,
        source=chosen,  # any model instance can be the source; referrals use the referral
        obj=record,
        grantee_agency=partner,
        grantee_user=chosen.user,
        categories=["case"],
        ends_at=timezone.now() + timedelta(days=1),
    )
    assert perms.can(chosen, "view", record)
    assert not perms.can(colleague, "view", record)


def test_revoking_a_source_ends_all_its_grants_at_once():
    owner_agency, partner = factories.AgencyFactory(), factories.AgencyFactory()
    receiver = member(partner, make_role("receiver", ["core_testing.*"], "agency"))
    source = factories.ProgramFactory()
    records = [specimen(owner_agency), specimen(owner_agency)]
    for record in records:
        perms.grant_create(
            subject=perms.SYSTEM,
            source=source,
            obj=record,
            grantee_agency=partner,
            categories=["identity"],
            ends_at=timezone.now() + timedelta(days=1),
        )
    assert Specimen.objects.visible_to(receiver).count() == 2
    assert perms.grant_revoke_for_source(source=source) == 2
    assert Specimen.objects.visible_to(receiver).count() == 0


def test_grant_rules():
    owner_agency, partner = factories.AgencyFactory(), factories.AgencyFactory()
    viewer = member(owner_agency, make_role("viewer", ["core_testing.*.view"], "agency"))
    sharer = member(owner_agency, make_role("sharer", ["core_testing.*"], "agency"))
    record = specimen(owner_agency)
    later = timezone.now() + timedelta(days=1)
    with pytest.raises(PermissionDenied):
        perms.grant_create(
            subject=viewer, obj=record, grantee_agency=partner, categories=["case"], ends_at=later
        )
    with pytest.raises(ValidationError):
        perms.grant_create(
            subject=sharer,
            obj=record,
            grantee_agency=partner,
            categories=["made_up"],
            ends_at=later,
        )
    with pytest.raises(ValidationError):
        perms.grant_create(
            subject=sharer,
            obj=record,
            grantee_agency=owner_agency,
            categories=["case"],
            ends_at=later,
        )
    with pytest.raises(ValueError, match="source"):
        perms.grant_create(
            subject=perms.SYSTEM,
            obj=record,
            grantee_agency=partner,
            categories=["case"],
            ends_at=later,
        )


def test_vawa_covered_records_leave_only_with_a_consent_source():
    owner_agency = factories.AgencyFactory(vawa_covered=True)
    partner = factories.AgencyFactory()
    sharer = member(owner_agency, make_role("sharer", ["core_testing.*"], "agency"))
    record = specimen(owner_agency)
    with pytest.raises(ValidationError, match="consent"):
        perms.grant_create(
            subject=sharer,
            obj=record,
            grantee_agency=partner,
            categories=["case"],
            ends_at=timezone.now() + timedelta(days=1),
        )
    assert not AccessGrant.objects.exists()


# Break-glass ------------------------------------------------------------------------------


def test_break_glass_opens_an_own_agency_record_for_an_hour_and_flags_it():
    agency = factories.AgencyFactory()
    caseworker = member(agency, make_role())
    supervisor = member(agency, factories.role("supervisor"))
    record = specimen(agency)  # assigned to nobody
    note = SpecimenNote.objects.create(specimen=record, text="n")
    assert not perms.can(caseworker, "view", record)

    with pytest.raises(ValidationError, match="Say why"):
        perms.break_glass_open(membership=caseworker, obj=record, reason="need")
    access = perms.break_glass_open(
        membership=caseworker, obj=record, reason="Survivor in crisis at the front desk"
    )
    assert access.expires_at - access.opened_at == timedelta(hours=1)
    assert perms.access_source(caseworker, "view", record) == "break_glass"
    assert perms.can(caseworker, "view", note)
    assert not perms.can(caseworker, "change", record)
    assert list(Specimen.objects.visible_to(caseworker)) == [record]
    assert perms.visible_categories(caseworker, record) == {"identity", "case", "statistical"}

    event = AuditEvent.objects.get(action="break_glass")
    assert event.object_id == str(record.pk) and event.actor_id == caseworker.user_id
    assert "crisis" not in str(event.reason)
    flagged = Notification.objects.get(user=supervisor.user)
    assert flagged.link == "/staff/audit/break-glass/"

    BreakGlassAccess.objects.filter(pk=access.pk).update(
        opened_at=timezone.now() - timedelta(hours=2),
        expires_at=timezone.now() - timedelta(hours=1),
    )
    assert not perms.can(caseworker, "view", record)
    assert not Specimen.objects.visible_to(caseworker).exists()


def test_break_glass_is_refused_for_another_agency_or_without_the_role():
    agency, other = factories.AgencyFactory(), factories.AgencyFactory()
    caseworker = member(agency, make_role())
    with pytest.raises(PermissionDenied):
        perms.break_glass_open(membership=caseworker, obj=specimen(other), reason="x" * 20)
    finance = member(agency, factories.role("finance"))
    with pytest.raises(PermissionDenied):
        perms.break_glass_open(membership=finance, obj=specimen(agency), reason="x" * 20)
    mine = specimen(agency, assigned_to=caseworker.user)
    with pytest.raises(ValidationError, match="already"):
        perms.break_glass_open(membership=caseworker, obj=mine, reason="x" * 20)


def test_a_supervisor_reviews_break_glass_once_and_not_their_own():
    agency = factories.AgencyFactory()
    caseworker = member(agency, make_role())
    supervisor = member(agency, factories.role("supervisor"))
    access = perms.break_glass_open(
        membership=caseworker, obj=specimen(agency), reason="Survivor in crisis now"
    )
    with pytest.raises(PermissionDenied):
        perms.break_glass_review(membership=caseworker, access=access, outcome="justified")
    perms.break_glass_review(
        membership=supervisor, access=access, outcome="justified", note="Confirmed by phone"
    )
    access.refresh_from_db()
    assert access.reviewed_by == supervisor.user and access.review_note == "Confirmed by phone"
    with pytest.raises(ValidationError):
        perms.break_glass_review(membership=supervisor, access=access, outcome="justified")


# System actor, aggregates, read audit ------------------------------------------------------


def test_system_actor_is_audited_as_such():
    agency = factories.AgencyFactory()
    record = specimen(agency)
    perms.record_view(perms.SYSTEM, record)
    event = AuditEvent.objects.filter(action="view").latest("id")
    assert event.actor_kind == "system" and event.actor_id is None
    assert event.reason == "system"


def test_record_view_lists_the_fields_shown_never_values():
    agency = factories.AgencyFactory()
    viewer = member(agency, make_role("limited", ["core_testing.*", "!*.view.identity"], "agency"))
    record = specimen(agency)
    perms.record_view(viewer, record)
    event = AuditEvent.objects.filter(action="view").latest("id")
    assert event.fields == ["age_band", "case_notes"]
    assert event.reason == "own"
    assert "Synthetic" not in str(event.fields)


def test_aggregates_never_return_rows_and_suppress_small_cells():
    agencies = [factories.AgencyFactory(), factories.AgencyFactory()]
    for index in range(7):
        specimen(agencies[index % 2], age_band="15-17")
    specimen(agencies[0], age_band="12-14")
    analyst = member(factories.AgencyFactory(), factories.role("analyst"))
    rows = perms.aggregate_counts(analyst, Specimen, group_by=["age_band"])
    assert rows == [{"age_band": "12-14", "count": None}, {"age_band": "15-17", "count": 7}]
    with pytest.raises(ValueError, match="statistical"):
        perms.aggregate_counts(analyst, Specimen, group_by=["name"])
    caseworker_like = member(agencies[0], factories.role("editor"))
    with pytest.raises(PermissionDenied):
        perms.aggregate_counts(caseworker_like, Specimen, group_by=["age_band"])
    assert not Specimen.objects.visible_to(analyst).exists()
