"""Kill-and-check driver for the crash-safety test (run as a script, not collected).

    python tests/reliability/crash_worker.py DATABASE_URL WORKDIR --kills 20 --seed 1

Against the given database (a real file SQLite database or a real PostgreSQL database, never
the test database): migrate, set up an agency and a fund, then ``--kills`` times fork a child
that works in a loop — importing CSV files of survivors through the ``safeharbor import``
command, or recording forfeiture proceeds in the fund's ledger (a receipt and its split,
two journal entries) — and SIGKILL it at a random moment. After every kill, in a fresh
connection: every import is all or nothing (each file's rows all there, with their search
terms and identifications, or none), every journal entry balances and has its lines, every
receipt has both entries, and the audit chains verify. At the end the real command
``safeharbor audit verify`` runs in its own process. Prints one JSON line of figures; exits
non-zero with the reasons when anything is half-written.

Forking a prepared process (instead of starting Python and Django each time) keeps a kill
round to a fraction of a second; the child is a real process, killed by the kernel, with its
own database connection.
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import os
import random
import signal
import subprocess
import sys
import time
import traceback
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ROWS = 25  # people per imported file

GIVEN = ["Ari", "Bea", "Cleo", "Dara", "Esme", "Faye", "Gwen", "Hope", "Iris", "June"]
FAMILY = ["Ashdown", "Brackley", "Corwin", "Dalby", "Eastwick", "Farrow", "Greaves", "Holt"]


def write_csv(path: Path, prefix: str, rng: random.Random) -> None:
    header = "record_id,given_name,family_name,alias,dob,sex,phone,identification_status"
    lines = [header + ",identification_date"]
    on = datetime.date.today().isoformat()
    for n in range(ROWS):
        dob = datetime.date(1990, 1, 1) + datetime.timedelta(days=rng.randint(0, 9000))
        lines.append(
            f"{prefix}{n},{rng.choice(GIVEN)},{rng.choice(FAMILY)},Star,{dob.isoformat()},F,"
            f"503-555-{rng.randint(0, 9999):04d},suspected,{on}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def setup() -> dict:
    from django.core.management import call_command

    from safeharbor.accounts.models import Agency
    from safeharbor.funds import services as funds
    from safeharbor.funds.permissions import SYSTEM

    call_command("migrate", verbosity=0)
    provider = Agency.objects.create(
        name="Crash Test Provider", slug="crash-provider", kind="victim_service_provider"
    )
    city = Agency.objects.create(name="Crash Test City", slug="crash-city", kind="city")
    fund = funds.fund_setup(
        actor=SYSTEM,
        membership=None,
        agency=city,
        name="Crash test fund",
        slug="crash-fund",
        shares=[("Victim services", Decimal("75")), ("Police", Decimal("25"))],
    )
    today = datetime.date.today()
    funds.fiscal_year_create(
        actor=SYSTEM,
        membership=None,
        fund=fund,
        name="Crash year",
        starts_on=today - datetime.timedelta(days=100),
        ends_on=today + datetime.timedelta(days=200),
    )
    return {"provider": provider.slug, "fund": fund.pk}


def child_import(workdir: Path, round_no: int, agency_slug: str, progress: Path) -> None:
    from django.core.management import call_command

    rng = random.Random(round_no)
    for batch in range(1000):
        prefix = f"r{round_no}-b{batch}-"
        path = workdir / f"{prefix}people.csv"
        write_csv(path, prefix, rng)
        _note(progress, f"start {prefix}")
        call_command("import", "survivors", str(path), agency=agency_slug, stdout=io.StringIO())
        _note(progress, f"done {prefix}")


def child_ledger(fund_id: int, round_no: int, progress: Path) -> None:
    from safeharbor.funds import services as funds
    from safeharbor.funds.models import Fund
    from safeharbor.funds.permissions import SYSTEM

    rng = random.Random(round_no)
    fund = Fund.objects.get(pk=fund_id)
    for n in range(10000):
        _note(progress, f"start {n}")
        funds.receipt_record(
            actor=SYSTEM,
            membership=None,
            fund=fund,
            received_on=datetime.date.today(),
            property_kind="vehicle",
            description="Synthetic vehicle sold at auction",
            gross_amount=Decimal(rng.randint(100, 90000)) / 100,
            case_costs=Decimal("1.00"),
        )
        _note(progress, f"done {n}")


def _note(progress: Path, text: str) -> None:
    with progress.open("a", encoding="utf-8") as handle:
        handle.write(text + "\n")


def check(state: dict) -> list[str]:
    """Everything that would show a half-written import or posting; empty when whole."""
    from django.core.management import call_command
    from django.core.management.base import CommandError
    from django.db.models import Count, Sum

    from safeharbor.funds.models import JournalEntry, JournalLine, Receipt
    from safeharbor.survivors.models import Identification, Person

    problems: list[str] = []
    batches: dict[str, int] = {}
    for record_id in Person.objects.values_list("source_record_id", flat=True):
        prefix = record_id.rsplit("-", 1)[0]
        batches[prefix] = batches.get(prefix, 0) + 1
    partial = {p: n for p, n in batches.items() if n != ROWS}
    if partial:
        problems.append(f"imports half-written (file: rows present): {partial}")
    no_terms = Person.objects.annotate(n=Count("index_entries")).filter(n=0).count()
    if no_terms:
        problems.append(f"{no_terms} people without their search terms")
    no_ident = Person.objects.exclude(pk__in=Identification.objects.values("person_id")).count()
    if no_ident:
        problems.append(f"{no_ident} imported people without their identification")
    # Sums compared in Python as decimals to the cent (SQLite adds them as floating point).
    unbalanced = [
        row["pk"]
        for row in JournalEntry.objects.values("pk").annotate(
            debits=Sum("lines__debit"), credits=Sum("lines__credit"), n=Count("lines")
        )
        if row["n"] < 2 or _cents(row["debits"]) != _cents(row["credits"])
    ]
    if unbalanced:
        problems.append(f"journal entries unbalanced or without lines: {unbalanced}")
    totals = JournalLine.objects.aggregate(d=Sum("debit"), c=Sum("credit"))
    if _cents(totals["d"]) != _cents(totals["c"]):
        problems.append(f"the ledger does not balance: {totals}")
    receipts = Receipt.objects.count()
    entries = JournalEntry.objects.count()
    if entries != 2 * receipts:
        problems.append(f"{entries} journal entries for {receipts} receipts (expected 2 each)")
    try:
        call_command("audit", "verify", stdout=io.StringIO(), stderr=io.StringIO())
    except CommandError as exc:
        problems.append(f"audit verify: {exc}")
    state["people"] = Person.objects.count()
    state["imports"] = len(batches)
    state["receipts"] = receipts
    return problems


def _cents(value) -> Decimal:
    return Decimal(value or 0).quantize(Decimal("0.01"))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("database_url")
    parser.add_argument("workdir", type=Path)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--min-delay", type=float, default=0.05)
    parser.add_argument("--max-delay", type=float, default=1.0)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "safeharbor.settings.test"
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    import django

    django.setup()
    from django.db import connections

    started = time.perf_counter()
    state = setup()
    problems = check(state)
    rng = random.Random(args.seed)
    mid_operation = {"import": 0, "ledger": 0}
    for round_no in range(args.kills):
        mode = "import" if round_no % 2 == 0 else "ledger"
        progress = args.workdir / f"progress-{round_no}.txt"
        progress.write_text("")
        connections.close_all()  # the child opens its own connection
        pid = os.fork()
        if pid == 0:  # the child: work until killed
            code = 0
            try:
                if mode == "import":
                    child_import(args.workdir, round_no, state["provider"], progress)
                else:
                    child_ledger(state["fund"], round_no, progress)
            except BaseException:
                traceback.print_exc()
                code = 3
            os._exit(code)
        time.sleep(rng.uniform(args.min_delay, args.max_delay))
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        if not (os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL):
            problems.append(f"round {round_no} ({mode}): the child ended by itself ({status})")
        notes = progress.read_text().split()
        if notes and notes[-2] == "start":
            mid_operation[mode] += 1
        problems += [f"after kill {round_no} ({mode}): {p}" for p in check(state)]
        if problems:
            break
    connections.close_all()
    verify = subprocess.run(
        [str(Path(sys.executable).with_name("safeharbor")), "audit", "verify"],
        env={**os.environ, "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}"},
        capture_output=True,
        text=True,
        check=False,
    )
    if verify.returncode != 0:
        problems.append(f"safeharbor audit verify: {verify.stderr.strip()[-500:]}")
    print(
        json.dumps(
            {
                "kills": args.kills,
                "killed_mid_operation": mid_operation,
                "imports_committed": state["imports"],
                "people": state["people"],
                "receipts_committed": state["receipts"],
                "audit_verify": verify.stdout.strip(),
                "seconds": round(time.perf_counter() - started, 1),
                "problems": problems,
            }
        )
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
