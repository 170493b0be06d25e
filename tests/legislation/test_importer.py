"""Import of Open States / OCD bill JSON: idempotent, reports changes, refuses bad files
whole."""

from __future__ import annotations

import copy
import json

import pytest

from safeharbor.accounts.models import Notification
from safeharbor.legislation import services
from safeharbor.legislation.choices import BillStatus
from safeharbor.legislation.importer import ImportRefused, import_bills
from safeharbor.legislation.models import Bill, BillAction, LegislativeSession
from safeharbor.legislation.selectors import summarize

from .conftest import OREGON, fixture_data, fixture_text


@pytest.fixture
def coordinator(make_staff):
    return make_staff("coordinator")


def test_first_import_creates_bills_in_the_ocd_shape(coordinator, oregon):
    statute = services.statute_save(
        actor=coordinator, jurisdiction=oregon, citation="ORS 167.017", title_en="Compelling"
    )
    report = import_bills(actor=coordinator, raw=fixture_text())

    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    assert report.sessions_created == ["2031R1"]
    sb = Bill.objects.get(identifier="SB 901")
    assert sb.chamber == "upper"
    assert sb.subjects == ["Crimes and offenses", "Children and youth"]
    assert sb.abstract.startswith("Expands the crime of compelling prostitution")
    assert [(s.name, s.classification) for s in sb.sponsorships.all()] == [
        ("Avery Example", "primary"),
        ("Jordan Sample", "cosponsor"),
        ("Judiciary Committee", "cosponsor"),
    ]
    assert summarize(sb).status == BillStatus.PASSED_ONE_CHAMBER
    # A datetime in the file is kept as its date.
    assert "2031-03-02" in [a.date for a in sb.actions.all()]
    assert sb.documents.filter(kind="version").count() == 2
    assert sb.citations.get().statute == statute
    related = sb.related_bills.get()
    assert related.related == Bill.objects.get(identifier="HB 3902")
    assert summarize(related.related).status == BillStatus.IN_COMMITTEE


def test_importing_the_same_file_again_changes_nothing(coordinator, oregon):
    import_bills(actor=coordinator, raw=fixture_text())
    actions = list(BillAction.objects.order_by("pk").values_list("pk", flat=True))

    report = import_bills(actor=coordinator, raw=fixture_text())

    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert Bill.objects.count() == 2
    assert LegislativeSession.objects.count() == 1
    assert list(BillAction.objects.order_by("pk").values_list("pk", flat=True)) == actions


def test_reimport_reports_what_changed_and_notifies_watchers(coordinator, make_staff, oregon):
    import_bills(actor=coordinator, raw=fixture_text())
    watcher = make_staff("editor")
    hb = Bill.objects.get(identifier="HB 3902")
    services.bill_watch(actor=watcher, bill=hb)

    data = fixture_data()
    house = data["results"][1]
    house["title"] = "Relating to fines; amending ORS 167.007 and 167.017."
    house["actions"].append(
        {
            "organization": {"name": "House", "classification": "lower"},
            "description": "Work session held; recommendation: Do pass.",
            "date": "2031-02-20",
            "classification": ["committee-passage"],
        }
    )
    report = import_bills(actor=coordinator, raw=json.dumps(data))

    changes = {b.identifier: (b.outcome, b.changes) for b in report.bills}
    assert changes["SB 901"] == ("unchanged", [])
    assert changes["HB 3902"] == ("updated", ["title", "1 new actions"])
    assert report.notifications == 1
    note = Notification.objects.get(user=watcher)
    assert (
        note.display_title == "New action on HB 3902: Work session held; recommendation: Do pass."
    )
    assert summarize(Bill.objects.get(identifier="HB 3902")).status == (BillStatus.PASSED_COMMITTEE)


@pytest.mark.parametrize(
    ("mutate", "field", "reason"),
    [
        (
            lambda d: d["results"][1]["actions"][1].update(date="16 Jan 2031"),
            "bills[1].actions[1].date",
            "Not a date",
        ),
        (
            lambda d: d["results"][1]["actions"][0].update(classification=["signed"]),
            "bills[1].actions[0].classification[0]",
            "not in the Open Civic Data",
        ),
        (lambda d: d["results"][1].pop("identifier"), "bills[1].identifier", "Required"),
        (
            lambda d: d["results"][1]["versions"][0]["links"][0].update(url="file:///etc/x"),
            "bills[1].versions[0].links[0].url",
            "web address",
        ),
        (
            lambda d: d["results"][1]["jurisdiction"].update(id="ocd-jurisdiction/x"),
            "bills[1].jurisdiction",
            "Unknown jurisdiction",
        ),
        (
            lambda d: d["results"].append(copy.deepcopy(d["results"][0])),
            "bills[2].identifier",
            "appears twice",
        ),
    ],
)
def test_a_malformed_file_is_refused_whole_with_field_and_reason(
    coordinator, oregon, mutate, field, reason
):
    data = fixture_data()
    mutate(data)
    with pytest.raises(ImportRefused) as refused:
        import_bills(actor=coordinator, raw=json.dumps(data))
    assert refused.value.field == field
    assert reason in refused.value.reason
    # The first bill was fine, but nothing at all was written.
    assert not Bill.objects.exists()
    assert not LegislativeSession.objects.exists()


def test_not_json_is_refused(coordinator, oregon):
    with pytest.raises(ImportRefused) as refused:
        import_bills(actor=coordinator, raw=b"{not json")
    assert refused.value.field == "file"


def test_pupa_spelling_and_default_jurisdiction(coordinator, oregon):
    bill = {
        "legislative_session": "2031R1",
        "identifier": "hb2001",
        "title": "Relating to a synthetic subject.",
        "from_organization": '~{"classification": "lower"}',
        "actions": [
            {
                "organization_id": '~{"classification": "lower"}',
                "description": "First reading.",
                "date": "2031-01-12",
                "classification": ["introduction"],
            }
        ],
        "sources": [{"url": "https://legislature.example/hb2001"}],
    }
    report = import_bills(actor=coordinator, raw=json.dumps(bill), default_jurisdiction=OREGON)
    created = Bill.objects.get()
    assert report.created == 1
    assert created.identifier == "HB 2001"
    assert created.chamber == "lower"
    assert created.actions.get().chamber == "lower"
    assert created.source_url == "https://legislature.example/hb2001"


def test_command_line_import_and_refusal(oregon, tmp_path):
    from io import StringIO

    from django.core.management import CommandError, call_command

    path = tmp_path / "bills.json"
    path.write_text(fixture_text())
    out = StringIO()
    call_command("import_bills", str(path), stdout=out)
    assert "2031R1 SB 901: created" in out.getvalue()
    assert "2 created, 0 updated, 0 unchanged" in out.getvalue()

    path.write_text(fixture_text().replace('"date": "2031-01-16"', '"date": "someday"'))
    with pytest.raises(CommandError, match=r"Nothing imported. bills\[1\].actions\[1\].date"):
        call_command("import_bills", str(path), stdout=StringIO())
