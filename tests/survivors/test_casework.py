"""Identifications, screenings, cases and their closing, missing episodes."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from safeharbor.accounts.models import Notification
from safeharbor.survivors import selectors, services
from safeharbor.survivors.choices import CaseStatus, ScreeningBand
from safeharbor.survivors.instruments import default
from safeharbor.survivors.models import ScreeningInstrument

pytestmark = pytest.mark.django_db


@pytest.fixture
def instrument(db):
    return ScreeningInstrument.objects.get(slug=default.SLUG, version=default.VERSION)


def test_identification_keeps_history_and_knows_juvenile(worker, youth, adult):
    today = timezone.localdate()
    ident = services.identification_record(
        membership=worker, person=youth, status="suspected", identified_on=today, basis="screening"
    )
    assert ident.juvenile_at_identification is True
    services.identification_change_status(
        membership=worker, identification=ident, status="confirmed", changed_on=today, note="x"
    )
    assert [h.status for h in ident.history.order_by("id")] == ["suspected", "confirmed"]
    grown = services.identification_record(
        membership=worker, person=adult, status="suspected", identified_on=today, basis="disclosure"
    )
    assert grown.juvenile_at_identification is False


def test_screening_scores_with_the_instrument(worker, youth, instrument):
    screening = services.screening_record(
        membership=worker,
        person=youth,
        instrument=instrument,
        answers={"sex_for_value": "yes"},
        screened_on=timezone.localdate(),
    )
    assert screening.band == ScreeningBand.CLEAR  # critical for a minor
    assert screening.suggests_identification
    assert screening.answers["speaks_for"] == "unknown"


def test_new_instrument_version_keeps_old_screenings(supervisor, worker, youth, instrument):
    old = services.screening_record(
        membership=worker,
        person=youth,
        instrument=instrument,
        answers={},
        screened_on=timezone.localdate(),
    )
    definition = {
        **default.DEFINITION,
        "bands": [
            {"band": "no", "min_score": 0},
            {"band": "possible", "min_score": 1},
            {"band": "clear", "min_score": 2},
        ],
    }
    mine = services.instrument_create_version(
        membership=supervisor, slug="local-indicators", name="Local", definition=definition
    )
    again = services.instrument_create_version(
        membership=supervisor, slug="local-indicators", name="Local", definition=definition
    )
    mine.refresh_from_db()
    assert (mine.version, again.version, mine.is_active) == (1, 2, False)
    assert old.instrument_id == instrument.pk
    with pytest.raises(PermissionDenied):  # caseworkers (assigned scope) do not configure
        services.instrument_create_version(
            membership=worker, slug="x", name="X", definition=definition
        )


def test_closing_needs_a_supervisor_who_did_not_ask(worker, supervisor, member, home, youth):
    case = services.case_open(membership=worker, person=youth, opened_on=timezone.localdate())
    services.case_service_add(
        membership=worker,
        case=case,
        service_type="shelter",
        status="delivered",
        delivered_on=timezone.localdate(),
    )
    services.case_note_add(membership=worker, case=case, body="Met today.")
    case = services.case_request_close(membership=worker, case=case, reason="goals_met")
    assert case.status == CaseStatus.CLOSE_REQUESTED
    with pytest.raises(PermissionDenied):
        services.case_decide_close(membership=worker, case=case, approve=True)
    case = services.case_decide_close(membership=supervisor, case=case, approve=True)
    assert case.status == CaseStatus.CLOSED and case.close_approved_by == supervisor.user
    with pytest.raises(ValidationError):
        services.case_note_add(membership=worker, case=case, body="")


def test_supervisor_cannot_approve_own_request(supervisor, youth):
    case = services.case_open(membership=supervisor, person=youth, opened_on=timezone.localdate())
    case = services.case_request_close(membership=supervisor, case=case, reason="moved")
    with pytest.raises(PermissionDenied):
        services.case_decide_close(membership=supervisor, case=case, approve=True)


def test_missing_deadline_overdue_for_worker_and_supervisor_only(
    worker, supervisor, member, other, youth
):
    now = timezone.now()
    episode = services.missing_episode_open(
        membership=worker, person=youth, learned_at=now - datetime.timedelta(hours=25)
    )
    services.missing_episode_report(
        membership=worker,
        episode=episode,
        to="police",
        reported_at=now - datetime.timedelta(hours=2),
    )
    for who in (worker, supervisor):
        data = selectors.missing_deadlines(membership=who)
        assert [e.pk for e in data["overdue"]] == [episode.pk]
        assert not data["overdue"][0].police_overdue() and data["overdue"][0].ncmec_overdue()
    outsider = member("supervisor", other)
    assert selectors.missing_deadlines(membership=outsider)["overdue"] == []
    assert services.notify_overdue_missing_reports() == "2 overdue reminders sent"
    assert services.notify_overdue_missing_reports() is None  # once per episode
    assert Notification.objects.filter(user=worker.user).count() == 1
    assert youth.reference in Notification.objects.get(user=supervisor.user).display_title


def test_missing_episode_is_for_young_people(worker, adult):
    with pytest.raises(ValidationError):
        services.missing_episode_open(membership=worker, person=adult, learned_at=timezone.now())


def test_due_soon_is_not_overdue(worker, youth):
    services.missing_episode_open(
        membership=worker, person=youth, learned_at=timezone.now() - datetime.timedelta(hours=20)
    )
    data = selectors.missing_deadlines(membership=worker)
    assert data["overdue"] == [] and len(data["due_soon"]) == 1
