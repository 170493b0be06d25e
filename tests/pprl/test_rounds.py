"""Privacy-preserving rounds on the platform: strict uploads (no plaintext ever gets in), the
key check, the count and its interval, who sees what, the key typed in and never kept, the
API, and the documented demo end to end."""

from __future__ import annotations

import csv
import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from safeharbor.accounts.models import Membership
from safeharbor.audit.models import AuditEvent
from safeharbor.linkage.pprl import services
from safeharbor.linkage.pprl.encode_command import encode_file
from safeharbor.linkage.pprl.encoding import key_fingerprint
from safeharbor.linkage.pprl.models import EncodingUpload, PrivateRound, RoundStatus
from tests import factories

from .helpers import AGENCY_A, AGENCY_B, KEY, OTHER_KEY, token_client, write_key, write_rows

pytestmark = pytest.mark.django_db
DEMO = Path(__file__).resolve().parents[2] / "src/safeharbor/linkage/pprl/demo"
FINGERPRINT = key_fingerprint(KEY.encode())


@pytest.fixture
def agencies():
    return {
        "city": factories.AgencyFactory(name="City Program Office", slug="city"),
        "provider": factories.AgencyFactory(
            name="Harbor Light Services", slug="harbor-light", vawa_covered=True
        ),
        "police": factories.AgencyFactory(name="Bridgeport Police", slug="bridgeport-police"),
        "outsider": factories.AgencyFactory(name="Not Invited", slug="not-invited"),
    }


def _member(agency, role):
    user = factories.UserFactory()
    return factories.membership(user, agency, role)


def _round(agencies):
    coordinator = _member(agencies["city"], "coordinator")
    round_ = services.round_create(
        membership=coordinator,
        title="Young people served, 2026",
        key_fingerprint=FINGERPRINT,
        invited=[agencies["provider"], agencies["police"]],
    )
    return coordinator, round_


def _documents(tmp_path, key=KEY):
    key_file = write_key(tmp_path / "k.key", key)
    docs = {}
    for name, rows, vawa in (("harbor-light", AGENCY_A, True), ("police", AGENCY_B, False)):
        source = write_rows(tmp_path / f"{name}.csv", rows)
        out = tmp_path / f"{name}.json"
        encode_file(source, out, key_path=key_file, source=name, vawa=vawa)
        docs[name] = out.read_bytes()
    return docs


def test_two_agencies_upload_and_the_count_links_encodings_only(tmp_path, agencies):
    coordinator, round_ = _round(agencies)
    docs = _documents(tmp_path)
    provider_admin = _member(agencies["provider"], "admin")
    police_admin = _member(agencies["police"], "supervisor")
    services.upload_encodings(
        membership=provider_admin, round_id=round_.pk, data=docs["harbor-light"]
    )
    services.upload_encodings(membership=police_admin, round_id=round_.pk, data=docs["police"])
    counted = services.round_count(membership=coordinator, round_id=round_.pk)
    # Kate and Marisol are at both agencies; Dario (no consent) counts as a total only.
    assert (counted.people_lower, counted.people, counted.people_upper) == (4, 5, 5)
    assert counted.linked_records == 6 and counted.totals_only_records == 1
    assert counted.status == RoundStatus.COUNTED
    stored = EncodingUpload.objects.get(agency=agencies["provider"])
    assert stored.records == 3 and stored.totals_only == 1 and stored.unpack().shape == (3, 128)
    assert AuditEvent.objects.filter(object_type="linkage.privateround", reason="counted").exists()


@pytest.mark.parametrize(
    "payload",
    [
        b"record_id,given_name,family_name\na1,Katherine,Orlowen\n",
        json.dumps([{"given_name": "Katherine", "family_name": "Orlowen"}]),
        {"names": ["Katherine Orlowen"]},
    ],
    ids=["csv", "list-of-names", "names-key"],
)
def test_the_upload_path_refuses_plaintext(agencies, payload):
    _coordinator, round_ = _round(agencies)
    admin = _member(agencies["provider"], "admin")
    with pytest.raises(ValidationError):
        services.upload_encodings(membership=admin, round_id=round_.pk, data=payload)
    assert not EncodingUpload.objects.exists()


def test_a_name_slipped_into_a_valid_document_is_refused(tmp_path, agencies):
    _coordinator, round_ = _round(agencies)
    document = json.loads(_documents(tmp_path)["police"])
    document["encodings"][0]["given_name"] = "Kate"
    admin = _member(agencies["police"], "admin")
    with pytest.raises(ValidationError, match="exactly the keys id and clk"):
        services.upload_encodings(membership=admin, round_id=round_.pk, data=document)
    assert not EncodingUpload.objects.exists()


def test_encodings_made_with_another_key_are_refused(tmp_path, agencies):
    _coordinator, round_ = _round(agencies)
    docs = _documents(tmp_path, key=OTHER_KEY)
    admin = _member(agencies["police"], "admin")
    with pytest.raises(ValidationError, match="different key"):
        services.upload_encodings(membership=admin, round_id=round_.pk, data=docs["police"])


def test_an_agency_not_invited_cannot_upload_or_see_the_round(tmp_path, agencies):
    _coordinator, round_ = _round(agencies)
    outsider = _member(agencies["outsider"], "admin")
    with pytest.raises(PermissionDenied):
        services.upload_encodings(
            membership=outsider, round_id=round_.pk, data=_documents(tmp_path)["police"]
        )
    assert not PrivateRound.objects.visible_to(outsider).exists()
    invited = _member(agencies["police"], "admin")
    assert PrivateRound.objects.visible_to(invited).filter(pk=round_.pk).exists()


def test_a_new_upload_replaces_the_old_and_reopens_the_count(tmp_path, agencies):
    coordinator, round_ = _round(agencies)
    docs = _documents(tmp_path)
    admin = _member(agencies["police"], "admin")
    first = services.upload_encodings(membership=admin, round_id=round_.pk, data=docs["police"])
    services.round_count(membership=coordinator, round_id=round_.pk)
    services.upload_encodings(membership=admin, round_id=round_.pk, data=docs["police"])
    first.refresh_from_db()
    round_.refresh_from_db()
    assert first.withdrawn_at is not None
    assert round_.status == RoundStatus.OPEN
    assert EncodingUpload.objects.filter(withdrawn_at__isnull=True).count() == 1


def test_only_the_coordinator_counts(tmp_path, agencies):
    _coordinator, round_ = _round(agencies)
    admin = _member(agencies["police"], "admin")
    services.upload_encodings(
        membership=admin, round_id=round_.pk, data=_documents(tmp_path)["police"]
    )
    with pytest.raises(PermissionDenied):
        services.round_count(membership=admin, round_id=round_.pk)


def test_the_key_typed_in_encodes_platform_records_and_is_never_kept(agencies):
    from safeharbor.survivors.choices import ConsentPurpose, DataCategory
    from safeharbor.survivors.derive import new_reference
    from safeharbor.survivors.models import Consent, Person

    coordinator, round_ = _round(agencies)
    supervisor = _member(agencies["provider"], "supervisor")
    people = [
        Person.objects.create(
            agency=agencies["provider"],
            reference=new_reference(),
            given_name=given,
            family_name=family,
            dob=dob,
        )
        for given, family, dob in (
            ("Katherine", "Orlowen", timezone.localdate().replace(year=2007, month=3, day=14)),
            ("Wren", "Halvorsk", timezone.localdate().replace(year=2005, month=7, day=9)),
        )
    ]
    today = timezone.localdate()
    Consent.objects.create(
        person=people[0],
        agency=agencies["provider"],
        categories=[DataCategory.STATISTICAL],
        purpose=ConsentPurpose.STATISTICS,
        signed_on=today - timedelta(days=1),
        expires_on=today + timedelta(days=300),
    )
    with pytest.raises(ValidationError, match="not the key of this round"):
        services.upload_platform_records(
            membership=supervisor, round_id=round_.pk, key=OTHER_KEY, source_label="harbor"
        )
    upload = services.upload_platform_records(
        membership=supervisor, round_id=round_.pk, key=KEY, source_label="harbor"
    )
    # VAWA-covered: only the person whose consent covers statistical linkage is encoded.
    assert (upload.records, upload.totals_only) == (1, 1)
    assert upload.origin == "platform"
    for event in AuditEvent.objects.all():
        assert KEY not in json.dumps([event.reason, event.fields, event.object_id])
    counted = services.round_count(membership=coordinator, round_id=round_.pk)
    assert (counted.people_lower, counted.people_upper) == (1, 2)


def test_pages_upload_and_count_and_never_show_names(tmp_path, agencies, staff_client):
    docs = _documents(tmp_path)
    coordinator_client, _user = staff_client("coordinator", agency=agencies["city"])
    response = coordinator_client.post(
        "/staff/linkage/private/new/",
        {
            "title": "Young people served, 2026",
            "key_fingerprint": FINGERPRINT,
            "invited": [agencies["provider"].pk, agencies["police"].pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    round_ = PrivateRound.objects.get()
    url = f"/staff/linkage/private/{round_.pk}/"
    provider_client, _ = staff_client("admin", agency=agencies["provider"])
    refused = provider_client.post(
        f"{url}upload/", {"file": _upload_file("people.csv", b"record_id,given_name\na1,Kate\n")}
    )
    assert refused.status_code == 400
    assert "not JSON" in refused.content.decode()
    done = provider_client.post(
        f"{url}upload/", {"file": _upload_file("a.json", docs["harbor-light"])}
    )
    assert done.status_code == 302
    police_client, _ = staff_client("admin", agency=agencies["police"])
    assert (
        police_client.post(
            f"{url}upload/", {"file": _upload_file("b.json", docs["police"])}
        ).status_code
        == 302
    )
    assert police_client.post(f"{url}count/").status_code == 403
    assert coordinator_client.post(f"{url}count/").status_code == 302
    for client in (coordinator_client, provider_client, police_client):
        page = client.get(url).content.decode()
        # Small cells are suppressed outside the owning agencies: 4 and 5 people.
        assert "Unique people in this round: fewer than 11" in page
        for name in ("Katherine", "Kate", "Orlowen", "Marisol", "Ximena"):
            assert name not in page
    outsider_client, _ = staff_client("admin", agency=agencies["outsider"])
    assert outsider_client.get(url).status_code == 404
    home = coordinator_client.get("/staff/").content.decode()
    assert "Unique people, Young people served, 2026: fewer than 11" in home
    listing = police_client.get("/staff/linkage/private/").content.decode()
    assert "Young people served, 2026" in listing and "City Program Office" in listing
    assert (
        "Young people served" not in outsider_client.get("/staff/linkage/private/").content.decode()
    )


def _upload_file(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_the_demo_two_agencies_encode_offline_upload_and_see_their_joint_count(tmp_path, agencies):
    """docs/privacy-linkage.md, "Demo": the steps as written, with the demo CSVs."""
    key = write_key(tmp_path / "shared.key", "a9" * 32)
    fingerprint = key_fingerprint(("a9" * 32).encode())
    # 1-2. Each agency encodes its own CSV on its own machine (no database).
    from safeharbor.linkage.pprl import encode_command

    assert (
        encode_command.main(
            [
                str(DEMO / "lifeworks-nw.csv"),
                "--key-file",
                str(key),
                "--out",
                str(tmp_path / "lifeworks.json"),
                "--source",
                "lifeworks-nw",
                "--vawa",
            ]
        )
        == 0
    )
    assert (
        encode_command.main(
            [
                str(DEMO / "oregon-dhs.csv"),
                "--key-file",
                str(key),
                "--out",
                str(tmp_path / "dhs.json"),
                "--source",
                "oregon-dhs",
            ]
        )
        == 0
    )
    # 3. The coordinator opens the round with the printed key check value (API).
    coordinator = _member(agencies["city"], "coordinator")
    api = token_client(coordinator)
    created = api.post(
        "/api/v1/linkage/private/rounds/",
        {
            "title": "Demo round",
            "key_fingerprint": fingerprint,
            "invited": [agencies["provider"].pk, agencies["police"].pk],
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    round_id = created.json()["id"]
    # 4. Each agency uploads its file with its API token.
    for agency, name in (
        (agencies["provider"], "lifeworks.json"),
        (agencies["police"], "dhs.json"),
    ):
        client = token_client(_member(agency, "admin"))
        response = client.post(
            f"/api/v1/linkage/private/rounds/{round_id}/uploads/",
            (tmp_path / name).read_bytes(),
            content_type="application/json",
        )
        assert response.status_code == 201, response.content
    # Plaintext through the API is refused too.
    refused = token_client(_member(agencies["police"], "admin")).post(
        f"/api/v1/linkage/private/rounds/{round_id}/uploads/",
        {"given_name": "Kate"},
        content_type="application/json",
    )
    assert refused.status_code == 400
    # 5. The coordinator counts; both agencies see the joint count.
    counted = api.post(f"/api/v1/linkage/private/rounds/{round_id}/count/")
    assert counted.status_code == 200, counted.content
    truth, totals_only = _demo_truth()
    body = counted.json()
    assert body["totals_only_records"] == totals_only
    assert body["people_lower"] <= truth <= body["people_upper"]
    assert abs(body["people"] - truth) <= 0.05 * truth
    for agency in (agencies["provider"], agencies["police"]):
        seen = token_client(_member(agency, "admin")).get(
            f"/api/v1/linkage/private/rounds/{round_id}/"
        )
        assert seen.status_code == 200 and seen.json()["people"] == body["people"]
    assert Membership.objects.count() >= 4


def _demo_truth():
    people, totals_only = set(), 0
    for name in ("lifeworks-nw.csv", "oregon-dhs.csv"):
        with (DEMO / name).open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                people.add(row["person_id"])
                totals_only += row.get("consent") == "no"
    return len(people), totals_only


def test_the_schema_lists_the_api_without_warnings(staff_client):
    client, _ = staff_client("coordinator")
    schema = client.get("/api/schema/?format=json").json()
    assert "/api/v1/linkage/private/rounds/{id}/uploads/" in schema["paths"]
    assert "/api/v1/linkage/private/uploads/{id}/withdraw/" in schema["paths"]


def test_encodings_of_an_earlier_schema_are_not_counted_with_the_current(tmp_path, agencies):
    coordinator, round_ = _round(agencies)
    admin = _member(agencies["police"], "admin")
    upload = services.upload_encodings(
        membership=admin, round_id=round_.pk, data=_documents(tmp_path)["police"]
    )
    # An upload stored before the encoder's schema changed (version 1).
    EncodingUpload.objects.filter(pk=upload.pk).update(schema={**upload.schema, "version": 1})
    with pytest.raises(ValidationError, match="police must encode again"):
        services.round_count(membership=coordinator, round_id=round_.pk)
    round_.refresh_from_db()
    assert round_.people is None
