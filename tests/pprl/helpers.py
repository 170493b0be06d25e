"""Invented people and small helpers shared by the privacy-preserving linkage tests."""

from __future__ import annotations

import csv
from pathlib import Path

HEADER = [
    "record_id",
    "given_name",
    "family_name",
    "alias",
    "dob",
    "sex",
    "phone",
    "address",
    "city",
    "postcode",
    "consent",
]
# Agency A (a victim-service provider) and agency B (police). Invented people only.
AGENCY_A = [
    (
        "a1",
        "Katherine",
        "Orlowen",
        "",
        "2007-03-14",
        "F",
        "503-555-0101",
        "1200 SE Alder St",
        "Portland",
        "97214",
        "yes",
    ),
    (
        "a2",
        "Marisol",
        "Tenfeld",
        "Star",
        "2006-11-02",
        "F",
        "503-555-0177",
        "88 NE Glisan St",
        "Portland",
        "97232",
        "yes",
    ),
    (
        "a3",
        "Dario",
        "Quillen",
        "",
        "2008-01-25",
        "M",
        "",
        "410 SW Oak St",
        "Portland",
        "97204",
        "no",
    ),
    (
        "a4",
        "Wren",
        "Halvorsk",
        "",
        "2005-07-09",
        "F",
        "971-555-0142",
        "19 N Lombard St",
        "Portland",
        "97217",
        "yes",
    ),
]
AGENCY_B = [
    (
        "b1",
        "Kate",
        "Orlowen",
        "",
        "2007-03-14",
        "F",
        "503-555-0101",
        "1200 SE Alder Street",
        "Portland",
        "97214",
        "",
    ),
    (
        "b2",
        "Marisol",
        "Tenfeldt",
        "",
        "2006-11-02",
        "F",
        "",
        "88 NE Glisan Street",
        "Portland",
        "97232",
        "",
    ),
    (
        "b3",
        "Ximena",
        "Brakvold",
        "",
        "2009-05-30",
        "F",
        "503-555-0199",
        "7 SE Powell Blvd",
        "Portland",
        "97202",
        "",
    ),
]
KEY = "4f1c" * 16  # 64 hexadecimal characters: an invented test key
OTHER_KEY = "9ab0" * 16


def write_rows(path: Path, rows, header=HEADER) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_key(path: Path, key: str = KEY) -> Path:
    path.write_text(key + "\n", encoding="ascii")
    return path


def token_client(membership):
    """A client that calls the API with a fresh token of ``membership`` (issued by a new
    administrator of its agency)."""
    from datetime import timedelta

    from django.test import Client
    from django.utils import timezone

    from safeharbor.accounts import services as account_services
    from tests import factories

    admin = factories.membership(factories.UserFactory(), membership.agency, "admin")
    issued = account_services.api_token_create(
        actor=admin.user,
        membership=membership,
        name="encodings upload",
        expires_at=timezone.now() + timedelta(days=1),
    )
    return Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")
