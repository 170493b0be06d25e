"""The issue's "Done when", through the real pages and API, on the Portland demo: the demo
opens a round between LifeWorks NW (VAWA-covered, keeps names off the platform) and Oregon
DHS; each encodes its synthetic file offline with the public demo key, uploads it as its own
supervisor (a page, an API token), the City's coordinator counts, and everyone sees the joint
count with its interval, while neither agency, nor the platform, ever holds the other's names.
The steps are those of docs/privacy-linkage.md, "Demo"."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from safeharbor.accounts import demo as accounts_demo
from safeharbor.accounts.models import Membership, User
from safeharbor.audit.models import AuditEvent
from safeharbor.core.registry import demo_loaders
from safeharbor.linkage.pprl import demo_round, encode_command
from safeharbor.linkage.pprl.models import EncodingUpload, PrivateRound
from tests import factories
from tests.conftest import sign_in

from .helpers import token_client

pytestmark = pytest.mark.django_db
LIFEWORKS = "supervisor@demo.safeharbor.example"
DHS = "dhs-supervisor@demo.safeharbor.example"
COORDINATOR = "coordinator@demo.safeharbor.example"


def _file_people(name: str) -> tuple[list[dict[str, str]], set[str]]:
    with (demo_round.DEMO_DIR / name).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return rows, {r["person_id"] for r in rows}


def _identities(rows: list[dict[str, str]]) -> set[str]:
    """What would betray a record: its full name, family name, phone and street address."""
    found = set()
    for r in rows:
        found.add(f"{r['given_name']} {r['family_name']}")
        if len(r["family_name"]) >= 5:
            found.add(r["family_name"])
        found |= {v for v in (r["phone"], r["address"]) if v}
    return found


def _signed_in(email: str) -> Client:
    user = User.objects.get(email__iexact=email)
    user.set_password(factories.PASSWORD)
    user.save(update_fields=["password"])
    client = Client()
    sign_in(client, user)
    return client


def _token(email: str) -> Client:
    return token_client(Membership.objects.get(user__email__iexact=email))


def test_the_demo_round_two_agencies_encode_offline_upload_and_see_their_joint_count(
    tmp_path, capsys
):
    accounts_demo.load()
    loaders = {loader.name: loader for loader in demo_loaders()}
    assert loaders["linkage-private"].order > loaders["accounts"].order
    loaders["linkage-private"].load()
    loaders["linkage-private"].load()  # safe to run again
    round_ = PrivateRound.objects.get(title=demo_round.ROUND_TITLE)
    assert {a.slug for a in round_.invited.all()} == {"lifeworks-nw", "oregon-dhs"}

    # 1-2. Each agency encodes its own synthetic file offline with the demo key.
    for csv_name, out, source, vawa in (
        ("lifeworks-nw.csv", "lifeworks.json", "lifeworks-nw", ["--vawa"]),
        ("oregon-dhs.csv", "dhs.json", "oregon-dhs", []),
    ):
        status = encode_command.main(
            [
                str(demo_round.DEMO_DIR / csv_name),
                "--key-file",
                str(demo_round.DEMO_KEY_FILE),
                "--out",
                str(tmp_path / out),
                "--source",
                source,
                *vawa,
            ]
        )
        assert status == 0
        printed = capsys.readouterr()
        # The printed check value is the round's; the encoder warns that the key is public.
        assert f"Key check value: {round_.key_fingerprint}" in printed.out
        assert "public demo key" in printed.err

    # 3. The round is already open: the coordinator sees it, not yet counted.
    coordinator = _signed_in(COORDINATOR)
    url = f"/staff/linkage/private/{round_.pk}/"
    assert "Not counted yet." in coordinator.get(url).content.decode()

    # 4. LifeWorks NW's supervisor uploads on the round page, Oregon DHS's with an API token.
    lifeworks = _signed_in(LIFEWORKS)
    page = lifeworks.get("/staff/linkage/private/").content.decode()
    assert demo_round.ROUND_TITLE in page
    uploaded = lifeworks.post(
        f"{url}upload/",
        {"file": SimpleUploadedFile("lifeworks.json", (tmp_path / "lifeworks.json").read_bytes())},
    )
    assert uploaded.status_code == 302
    response = _token(DHS).post(
        f"/api/v1/linkage/private/rounds/{round_.pk}/uploads/",
        (tmp_path / "dhs.json").read_bytes(),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content

    # 5. The coordinator counts on the page and sees the count with its interval.
    assert coordinator.post(f"{url}count/").status_code == 302
    round_.refresh_from_db()
    lifeworks_rows, lifeworks_people = _file_people("lifeworks-nw.csv")
    dhs_rows, dhs_people = _file_people("oregon-dhs.csv")
    truth = len(lifeworks_people | dhs_people)
    without_consent = sum(r["consent"] == "no" for r in lifeworks_rows)
    assert round_.totals_only_records == without_consent > 0
    assert round_.people_lower <= truth <= round_.people_upper
    assert abs(round_.people - truth) <= 0.05 * truth
    shown = (
        f"Unique people in this round: {round_.people} "
        f"(between {round_.people_lower} and {round_.people_upper})"
    )
    assert shown in coordinator.get(url).content.decode()
    assert "Unique people, " + demo_round.ROUND_TITLE in coordinator.get("/staff/").content.decode()

    # Both agencies see the joint count, and never the other's names or records.
    dhs = _signed_in(DHS)
    for client, others in (
        (lifeworks, _identities(dhs_rows)),
        (dhs, _identities(lifeworks_rows)),
    ):
        seen = client.get(url).content.decode()
        assert shown in seen
        pages = [seen, client.get("/staff/").content.decode()]
        pages.append(client.get("/staff/linkage/private/").content.decode())
        leaked = sorted(name for name in others for text in pages if name in text)
        assert not leaked
    own = Membership.objects.get(user__email__iexact=LIFEWORKS)
    listed = _token(LIFEWORKS).get("/api/v1/linkage/private/uploads/").json()
    results = listed["results"] if isinstance(listed, dict) else listed
    assert results and {u["agency"] for u in results} == {own.agency_id}

    # The platform keeps no plaintext: nothing in the database, decrypted or not, nor in the
    # audit trail, holds a name, phone or address of either file, nor their record ids.
    dump = io.StringIO()
    call_command("dumpdata", stdout=dump)
    everything = dump.getvalue()
    for name in sorted(_identities(lifeworks_rows) | _identities(dhs_rows)):
        assert name not in everything, name
    record_ids = {r["record_id"] for r in lifeworks_rows + dhs_rows}
    assert not [i for i in record_ids if i in everything]
    assert EncodingUpload.objects.filter(round=round_, withdrawn_at__isnull=True).count() == 2
    trail = json.dumps(list(AuditEvent.objects.values_list("fields", "reason", "object_id")))
    assert "given_name" not in trail  # no identity field of a person was read on the platform
