"""Locust scenario: staff searching, viewing and recording contacts and referrals, plus
public visitors, against ``safeharbor serve`` (run through ``bench/load/run.py``).

* Caseworkers (``bench-agency``, 100,000 people) sign in through the real password +
  one-time code + notice steps, then list and search people (name, date of birth), open a
  person's record, and look at their referral inbox and the referrals in it.
* Officers (``bench-police``) sign in the same way, open their operation, record a victim
  contact for one of their agency's people (the form as a person fills it, CSRF token and
  all), and send the referral the contact opens to ``bench-agency`` under the person's
  written consent.
* Public visitors read the public site in English and Spanish.

Users are ``FastHttpUser`` (geventhttpclient) and read forms with a few regular expressions:
the load generator runs on the same two cores as the server, and the cheaper client leaves
more of them to the server. Redirects after a form are not followed (that client does not
say where one led): the contact's POST, the referral form it leads to and the referral's
POST are three requests.

Accounts come from the file ``run.py`` names in ``BENCH_ACCOUNTS`` (written by ``generate.py``,
``var/bench-load-accounts-<database>.json``); each staff
user of the run takes its own account so one-time codes are never replayed.
"""

from __future__ import annotations

import html
import itertools
import json
import os
import random
import re
import threading
from pathlib import Path
from urllib.parse import urlencode

import pyotp
from locust import between, events, task
from locust.contrib.fasthttp import FastHttpUser

ACCOUNTS = json.loads(Path(os.environ["BENCH_ACCOUNTS"]).read_text())
NAMES = ["Mara Oakhurst", "Ivy Glenrock", "Jade", "Kira Hazelton", "Sage", "Lucky", "Star"]
_lock = threading.Lock()
_next = {"caseworkers": itertools.count(), "officers": itertools.count()}


# Every response time by request kind, for exact percentiles in run.py.
TIMES_FILE = os.environ.get("BENCH_TIMES")
_times: list[tuple[str, float, bool]] = []


@events.request.add_listener
def _collect(name: str, response_time: float, exception: Exception | None, **_: object) -> None:
    _times.append((name, response_time, exception is None))


@events.quitting.add_listener
def _write_times(**_: object) -> None:
    if TIMES_FILE:
        Path(TIMES_FILE).write_text(json.dumps(_times))


def take_account(kind: str) -> dict:
    with _lock:
        index = next(_next[kind])
    accounts = ACCOUNTS[kind]
    if index >= len(accounts):
        raise RuntimeError(f"More {kind} than accounts: run generate.py with more.")
    return accounts[index]


class Form:
    """One POST form's fields, as a browser would submit them."""

    def __init__(self, action: str) -> None:
        self.action = action
        self.fields: dict[str, str] = {}
        self.options: dict[str, list[str]] = {}
        self.checkboxes: dict[str, list[str]] = {}

    def names(self) -> set[str]:
        return set(self.fields) | set(self.options) | set(self.checkboxes)


# The load generator shares the server's two cores, so forms are read with a few regular
# expressions over the one form needed (our own server's markup: quoted attributes), not
# by parsing the whole page with html.parser.
_FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
_TAG = re.compile(r"<(input|select|option|textarea)\b([^>]*)>|</(select|textarea)>", re.I)
_ATTR = re.compile(r'([\w:-]+)(?:\s*=\s*(?:"([^"]*)"|\'([^\']*)\'|([^\s"\'>]+)))?')


def _attrs(text: str) -> dict[str, str]:
    return {
        m.group(1).lower(): html.unescape(m.group(2) or m.group(3) or m.group(4) or "")
        for m in _ATTR.finditer(text)
    }


def _read_form(attributes: dict[str, str], body: str) -> Form:
    form = Form(attributes.get("action", ""))
    select = None
    for match in _TAG.finditer(body):
        tag, closing = (match.group(1) or "").lower(), match.group(3)
        if closing:
            if closing.lower() == "select":
                select = None
            continue
        a = _attrs(match.group(2))
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in {"checkbox", "radio"}:
                form.checkboxes.setdefault(name, []).append(a.get("value") or "on")
                if "checked" in a:
                    form.fields[name] = a.get("value") or "on"
            elif kind not in {"submit", "button", "file"}:
                form.fields[name] = a.get("value", "")
        elif tag == "select" and name:
            select = name
            form.options[name] = []
        elif tag == "option" and select:
            form.options[select].append(a.get("value", ""))
            if "selected" in a:
                form.fields[select] = a.get("value", "")
        elif tag == "textarea" and name:
            rest = body[match.end() :]
            form.fields[name] = html.unescape(rest[: rest.lower().find("</textarea>")])
    return form


def form_of(page: str, field: str) -> Form:
    """The page's POST form that has ``field`` (an empty form if none has it)."""
    marker = f'name="{field}"'
    for match in _FORM.finditer(page):
        attributes = _attrs(match.group(1))
        if attributes.get("method", "").lower() == "post" and marker in match.group(2):
            return _read_form(attributes, match.group(2))
    return Form("")


def _encoded(fields: dict[str, str] | list[tuple[str, str]]) -> dict:
    """A form body as a browser sends it (repeated names allowed)."""
    return {
        "data": urlencode(fields),
        "headers": {"Content-Type": "application/x-www-form-urlencoded"},
    }


class Staff(FastHttpUser):
    abstract = True
    kind = ""

    def on_start(self) -> None:
        self.account = take_account(self.kind)
        page = self.client.get("/accounts/login/", name="sign in: form")
        form = form_of(page.text, "password")
        form.fields.update(email=self.account["email"], password=self.account["password"])
        self.client.post("/accounts/login/", name="sign in: password", **_encoded(form.fields))
        totp = pyotp.TOTP(_base32(self.account["totp_key"]))
        page = self.client.get("/accounts/code/", name="sign in: code form")
        form = form_of(page.text, "code")
        form.fields["code"] = totp.now()
        self.client.post("/accounts/code/", name="sign in: code", **_encoded(form.fields))
        page = self.client.get("/accounts/notice/", name="sign in: notice")
        form = form_of(page.text, "acknowledge")
        form.fields["acknowledge"] = "yes"
        response = self.client.post(
            "/accounts/notice/",
            name="sign in: notice",
            allow_redirects=False,
            **_encoded(form.fields),
        )
        if response.status_code != 302 or "/accounts/" in response.headers.get("location", ""):
            raise RuntimeError(f"{self.account['email']} could not sign in")


def _base32(hex_key: str) -> str:
    import base64

    return base64.b32encode(bytes.fromhex(hex_key)).decode()


class Caseworker(Staff):
    weight = 5
    kind = "caseworkers"
    wait_time = between(1, 3)

    @task(4)
    def search_by_name(self) -> None:
        self.client.get(f"/staff/survivors/?q={random.choice(NAMES)}", name="people: search name")

    @task(1)
    def search_by_dob(self) -> None:
        day = (
            f"{random.randint(1985, 2012)}-{random.randint(1, 12):02d}-{random.randint(1, 28):02d}"
        )
        self.client.get(f"/staff/survivors/?q={day}", name="people: search date of birth")

    @task(3)
    def list_people(self) -> None:
        page = random.choice(["", "?page=2", f"?page={random.randint(3, 2000)}"])
        self.client.get(f"/staff/survivors/{page}", name="people: list")

    @task(6)
    def view_person(self) -> None:
        pk = random.choice(ACCOUNTS["people"])
        self.client.get(f"/staff/survivors/people/{pk}/", name="people: view record")

    @task(2)
    def referral_inbox(self) -> None:
        page = self.client.get("/staff/referrals/", name="referrals: inbox")
        ids = re.findall(r'href="/staff/referrals/(\d+)/"', page.text)
        if ids:
            self.client.get(f"/staff/referrals/{random.choice(ids)}/", name="referrals: view")


class Officer(Staff):
    weight = 2
    kind = "officers"
    wait_time = between(2, 5)

    @task(3)
    def view_operation(self) -> None:
        self.client.get(
            f"/staff/enforcement/operations/{ACCOUNTS['operation']}/", name="operation: view"
        )

    @task(2)
    def record_contact_and_referral(self) -> None:
        # Find the person by their reference, as an officer would, then fill the form.
        reference = random.choice(ACCOUNTS["police_people"])
        url = f"/staff/enforcement/operations/{ACCOUNTS['operation']}/contacts/new/?q={reference}"
        form = form_of(self.client.get(url, name="contact: find person").text, "person")
        # The person is a select or, with search results, radio buttons.
        people = [
            v for v in form.options.get("person", []) + form.checkboxes.get("person", []) if v
        ]
        if not people:
            return
        form.fields.update(
            role="victim",
            person=random.choice(people),
            program_info_given="on",
            referral_decision="made",
            notes="Synthetic load-test contact.",
        )
        form.fields.pop("new_person", None)
        response = self.client.post(
            url, name="contact: record", allow_redirects=False, **_encoded(form.fields)
        )
        location = response.headers.get("location", "") if response.headers else ""
        if "/staff/referrals/new/" not in location:
            return  # the contact was recorded; no referral form this time
        # The HTTP client does not say where a redirect led, so the referral form the
        # contact leads to is fetched as its own request.
        page = self.client.get(location, name="referral: form")
        referral = form_of(page.text, "reason")
        agencies = [v for v in referral.options.get("to_agency", []) if v]
        referral.fields.update(reason="Synthetic load-test referral.", urgency="routine")
        target = str(ACCOUNTS["bench_agency"])
        referral.fields["to_agency"] = target if target in agencies else (agencies or [""])[0]
        referral.fields.pop("to_program", None)
        fields = list(referral.fields.items())
        fields += [("categories", c) for c in ("case", "identity")]
        self.client.post(location, name="referral: send", allow_redirects=False, **_encoded(fields))

    @task(1)
    def referrals_sent(self) -> None:
        self.client.get("/staff/referrals/", name="referrals: inbox")


class Visitor(FastHttpUser):
    weight = 3
    wait_time = between(1, 4)

    @task
    def read_public_pages(self) -> None:
        for path in random.sample(
            ["/", "/get-help/", "/services/", "/resources/", "/events/", "/safety/", "/es/"], 2
        ):
            self.client.get(path, name=f"public: {path}")
