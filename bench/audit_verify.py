"""Benchmark: audit chain verification speed on 1,000,000 events.

Builds a scratch SQLite file database (never the real one) holding N hash-chained audit
events spread over 20 agency chains and the platform chain, then times
``safeharbor audit verify``'s streaming verifier and prints events verified per second.
Target: at least 100,000 events per second on one core.

    .venv/bin/python bench/audit_verify.py            # 1,000,000 events
    .venv/bin/python bench/audit_verify.py --events 100000 --keep /tmp/audit.sqlite3
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ACTIONS = ["view", "list", "update", "create", "login", "export"]
OBJECT_TYPES = ["survivors.person", "survivors.case", "referrals.referral", "accounts.user"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--chains", type=int, default=20)
    parser.add_argument("--keep", help="keep the scratch database at this path")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="sh-audit-bench-"))
    path = Path(args.keep) if args.keep else workdir / "audit.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "safeharbor.settings.test"
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("SAFEHARBOR_LOG", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from safeharbor.audit.hashing import event_digest
    from safeharbor.audit.models import GENESIS_HASH
    from safeharbor.audit.verify import verify_chains

    call_command("migrate", "audit", verbosity=0)
    rng = random.Random(20261128)
    heads = {f"agency-{i}": (0, GENESIS_HASH) for i in range(1, args.chains + 1)}
    heads["platform"] = (0, GENESIS_HASH)
    keys = list(heads)
    start = datetime(2026, 1, 1, tzinfo=UTC)

    print(f"Generating {args.events:,} events in {len(keys)} chains at {path} …", flush=True)
    t0 = time.perf_counter()
    insert = (
        "INSERT INTO audit_auditevent (chain, seq, occurred_at, actor_kind, actor_id, agency_id,"
        " action, object_type, object_id, fields, outcome, reason, request_id, prev_hash, hash)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
    )
    batch: list[tuple] = []
    with connection.cursor() as cursor:
        for n in range(args.events):
            key = keys[rng.randrange(len(keys))]
            seq, prev = heads[key]
            seq += 1
            values = {
                "chain": key,
                "seq": seq,
                "occurred_at": start + timedelta(milliseconds=n * 37),
                "actor_kind": "user",
                "actor_id": rng.randrange(1, 400),
                "agency_id": None if key == "platform" else int(key.split("-")[1]),
                "action": ACTIONS[n % len(ACTIONS)],
                "object_type": OBJECT_TYPES[n % len(OBJECT_TYPES)],
                "object_id": str(rng.randrange(1, 100_000)),
                "fields": ["given_name", "dob"] if n % 5 == 0 else [],
                "outcome": "success",
                "reason": "own" if n % 3 else "",
                "request_id": f"{n:032x}",
            }
            digest = event_digest(values, prev)
            heads[key] = (seq, digest)
            at = values["occurred_at"].strftime("%Y-%m-%d %H:%M:%S.%f")
            fields = '["given_name", "dob"]' if values["fields"] else "[]"
            batch.append(
                (
                    key,
                    seq,
                    at,
                    "user",
                    values["actor_id"],
                    values["agency_id"],
                    values["action"],
                    values["object_type"],
                    values["object_id"],
                    fields,
                    "success",
                    values["reason"],
                    values["request_id"],
                    prev,
                    digest,
                )
            )
            if len(batch) == 50_000:
                with transaction.atomic():
                    cursor.executemany(insert, batch)
                batch.clear()
        if batch:
            with transaction.atomic():
                cursor.executemany(insert, batch)
        with transaction.atomic():
            for key, (seq, digest) in heads.items():
                cursor.execute(
                    "INSERT INTO audit_auditchain (key, last_seq, last_hash) VALUES (%s, %s, %s)",
                    [key, seq, digest],
                )
    print(f"  generated in {time.perf_counter() - t0:.1f} s", flush=True)

    best = best_cpu = 0.0
    for attempt in range(3):
        t0, c0 = time.perf_counter(), time.process_time()
        result = verify_chains()
        elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
        if not result.ok:
            print("FAILED: the generated chain did not verify:", result.breaks[0], file=sys.stderr)
            sys.exit(1)
        rate, cpu_rate = result.events / elapsed, result.events / cpu
        best, best_cpu = max(best, rate), max(best_cpu, cpu_rate)
        print(
            f"run {attempt + 1}: {result.events:,} events in {result.chains} chains verified in "
            f"{elapsed:.2f} s wall = {rate:,.0f} events/s ({cpu:.2f} s CPU of this process = "
            f"{cpu_rate:,.0f} events/s per core)",
            flush=True,
        )
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    verdict = "meets" if best >= 100_000 else "MISSES"
    print(
        f"events verified per second: {best:,.0f} wall ({verdict} the 100,000/s target); "
        f"{best_cpu:,.0f} per CPU-second; load average during the run {load:.1f}"
    )
    if not args.keep:
        for leftover in workdir.iterdir():
            leftover.unlink()
        workdir.rmdir()


if __name__ == "__main__":
    main()
