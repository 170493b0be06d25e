"""Services: new actions notify watchers, positions, permissions and the audit trail."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from safeharbor.accounts.models import Notification
from safeharbor.audit.models import AuditEvent
from safeharbor.legislation import services
from safeharbor.legislation.choices import BillStatus
from safeharbor.legislation.models import BillAction, Statute
from safeharbor.legislation.selectors import summarize


def test_new_action_notifies_watchers_but_not_whoever_recorded_it(make_staff, bill):
    coordinator = make_staff("coordinator")
    watcher = make_staff("editor")
    services.bill_watch(actor=coordinator, bill=bill)
    services.bill_watch(actor=watcher, bill=bill)
    services.bill_watch(actor=watcher, bill=bill)  # twice is harmless

    action = services.bill_action_add(
        actor=coordinator,
        bill=bill,
        date="2031-02-01",
        description="Referred to Judiciary.",
        classifications=["referral-committee"],
        chamber="upper",
    )

    inbox = Notification.objects.filter(user=watcher)
    assert [n.display_title for n in inbox] == ["New action on SB 77: Referred to Judiciary."]
    assert inbox[0].link == f"/staff/legislation/bills/{bill.pk}/"
    assert not Notification.objects.filter(user=coordinator).exists()
    assert action.organization == "Senate"
    assert summarize(bill).status == BillStatus.IN_COMMITTEE
    assert AuditEvent.objects.filter(object_type="legislation.billaction", action="create").exists()


def test_unwatching_stops_notifications(make_staff, bill):
    coordinator = make_staff("coordinator")
    watcher = make_staff("coordinator")
    services.bill_watch(actor=watcher, bill=bill)
    services.bill_unwatch(actor=watcher, bill=bill)
    services.bill_action_add(
        actor=coordinator, bill=bill, date="2031-02", description="x", classifications=[]
    )
    assert not Notification.objects.filter(user=watcher).exists()


def test_actions_get_increasing_order_and_bad_input_is_refused(make_staff, bill):
    coordinator = make_staff("coordinator")
    for description in ("one", "two"):
        services.bill_action_add(
            actor=coordinator,
            bill=bill,
            date="2031-01-01",
            description=description,
            classifications=[],
        )
    assert list(BillAction.objects.filter(bill=bill).values_list("order", flat=True)) == [0, 1]
    with pytest.raises(ValidationError) as error:
        services.bill_action_add(
            actor=coordinator, bill=bill, date="2031-13-01", description="x", classifications=[]
        )
    assert "date" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.bill_action_add(
            actor=coordinator,
            bill=bill,
            date="2031-01-01",
            description="x",
            classifications=["signed-by-mayor"],
        )
    assert BillAction.objects.filter(bill=bill).count() == 2


def test_roles_without_legislation_cannot_write(make_staff, bill):
    caseworker = make_staff("caseworker")
    with pytest.raises(PermissionDenied):
        services.bill_action_add(
            actor=caseworker, bill=bill, date="2031-01-01", description="x", classifications=[]
        )
    with pytest.raises(PermissionDenied):
        services.bill_watch(actor=caseworker, bill=bill)
    with pytest.raises(PermissionDenied):
        services.bill_position_set(actor=caseworker, bill=bill, stance="support", priority="high")


def test_position_is_set_then_changed_with_audit(make_staff, bill):
    coordinator = make_staff("coordinator")
    services.bill_position_set(
        actor=coordinator, bill=bill, stance="monitor", priority="low", owner=coordinator
    )
    position = services.bill_position_set(
        actor=coordinator, bill=bill, stance="amend", priority="high", rationale="Needs work."
    )
    assert position.get_stance_display() == "Support if amended"
    assert position.owner is None
    events = AuditEvent.objects.filter(object_type="legislation.billposition").order_by("seq")
    assert [e.action for e in events] == ["create", "update"]
    assert {"stance", "priority", "rationale", "owner"} <= set(events[1].fields)


def test_identifier_is_normalised_and_unique_per_session(bill, session_2031):
    assert bill.identifier == "SB 77"
    with pytest.raises(ValidationError):
        services.bill_save(
            actor="system", session=session_2031, identifier="S.B. 77", title="Duplicate"
        )


def test_statute_is_reusable_with_translated_summary(oregon):
    statute = services.statute_save(
        actor="system",
        jurisdiction=oregon,
        citation="ORS  167.017",
        title_en="Compelling prostitution",
        summary_en="Our summary.",
        summary_es="Nuestro resumen.",
    )
    from django.utils import translation

    with translation.override("es"):
        assert Statute.objects.get(pk=statute.pk).summary == "Nuestro resumen."
        # No Spanish title yet: English is shown.
        assert Statute.objects.get(pk=statute.pk).title == "Compelling prostitution"
    assert statute.citation == "ORS 167.017"
    assert str(statute) == "ORS 167.017 — Compelling prostitution"
