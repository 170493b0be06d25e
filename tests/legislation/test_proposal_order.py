"""Reordering a priority's proposals on the staff page with plain buttons (no JavaScript):
each move is one audited transaction, and the public page follows the new order."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from safeharbor.audit.choices import ActorKind
from safeharbor.audit.models import AuditEvent
from safeharbor.legislation import services
from safeharbor.legislation.models import Proposal

TEXTS = ["First synthetic change.", "Second synthetic change.", "Third synthetic change."]


@pytest.fixture
def priority(db):
    priority = services.priority_save(
        actor=ActorKind.SYSTEM,
        title_en="Synthetic priority",
        objective_en="A synthetic objective.",
        issue_en="A synthetic issue.",
        is_public=True,
    )
    for text in TEXTS:
        services.proposal_save(actor=ActorKind.SYSTEM, priority=priority, text_en=text)
    return priority


def _order(priority):
    return list(priority.proposals.order_by("order", "id").values_list("text_en", flat=True))


def test_coordinator_moves_a_proposal_and_the_public_page_follows(staff_client, priority):
    client, coordinator = staff_client("coordinator")
    first, second, third = priority.proposals.order_by("order", "id")
    page = client.get(f"/staff/legislation/priorities/{priority.pk}/").content.decode()
    move_url = "/staff/legislation/proposals/{}/move/"
    # The first cannot go up and the last cannot go down: no buttons for those.
    assert page.count(">Move up<") == 2 and page.count(">Move down<") == 2
    assert f'action="{move_url.format(first.pk)}"' in page

    response = client.post(move_url.format(first.pk), {"direction": "down"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/priorities/{priority.pk}/#proposal-{first.pk}")
    assert _order(priority) == [TEXTS[1], TEXTS[0], TEXTS[2]]
    client.post(move_url.format(third.pk), {"direction": "up"})
    assert _order(priority) == [TEXTS[1], TEXTS[2], TEXTS[0]]
    audited = AuditEvent.objects.filter(object_type="legislation.proposal", fields=["order"])
    assert audited.count() == 2 and audited.first().actor_id == coordinator.pk

    public = Client().get("/legislative-priorities/").content.decode()
    positions = [public.index(text) for text in (TEXTS[1], TEXTS[2], TEXTS[0])]
    assert positions == sorted(positions)

    # Already first: told so, nothing changes.
    refused = client.post(move_url.format(second.pk), {"direction": "up"}, follow=True)
    assert "This proposal is already first." in refused.content.decode()
    assert _order(priority) == [TEXTS[1], TEXTS[2], TEXTS[0]]


def test_moving_renumbers_proposals_that_shared_a_place(priority):
    Proposal.objects.filter(priority=priority).update(order=0)
    last = priority.proposals.order_by("order", "id").last()
    services.proposal_move(actor=ActorKind.SYSTEM, proposal=last, direction="up")
    assert list(priority.proposals.order_by("order", "id").values_list("order", flat=True)) == [
        0,
        1,
        2,
    ]
    assert _order(priority) == [TEXTS[0], TEXTS[2], TEXTS[1]]
    with pytest.raises(ValidationError):
        services.proposal_move(actor=ActorKind.SYSTEM, proposal=last, direction="sideways")


@pytest.mark.parametrize("role", ["caseworker", "analyst"])
def test_other_roles_cannot_reorder(staff_client, priority, role):
    client, _user = staff_client(role)
    first = priority.proposals.order_by("order", "id").first()
    response = client.post(f"/staff/legislation/proposals/{first.pk}/move/", {"direction": "down"})
    assert response.status_code == 403
    assert _order(priority) == TEXTS
    assert client.get(f"/staff/legislation/proposals/{first.pk}/move/").status_code in (403, 405)
