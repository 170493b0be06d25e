"""``safeharbor audit verify``: prove the audit hash chains are intact.

``safeharbor audit heads`` prints each chain's last sequence number and hash, to be kept
outside the database (a later verify with ``--expect-heads FILE`` shows whether the chains
were rewritten since).
"""

from __future__ import annotations

import json
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from safeharbor.audit.verify import verify_chains


class Command(BaseCommand):
    help = "Audit trail: 'verify' walks every hash chain; 'heads' prints the chain heads."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["verify", "heads"])
        parser.add_argument("--database", default="default")
        parser.add_argument(
            "--expect-heads",
            metavar="FILE",
            help="A JSON file written by 'audit heads' earlier: each chain must still contain "
            "that head.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "heads":
            result = verify_chains(using=options["database"])
            heads = {k: {"seq": s, "hash": h} for k, (s, h) in sorted(result.heads.items())}
            self.stdout.write(json.dumps(heads, indent=2))
            return
        started = time.perf_counter()

        reported = [0]

        def progress(count: int) -> None:
            if count - reported[0] >= 250_000:
                reported[0] = count
                self.stderr.write(f"  {count:,} events checked…")

        result = verify_chains(using=options["database"], progress=progress)
        elapsed = time.perf_counter() - started
        problems = [str(b) for b in result.breaks]
        if options["expect_heads"]:
            problems += self._check_expected(options["expect_heads"])
        if problems:
            for line in problems:
                self.stderr.write(f"BROKEN {line}")
            raise CommandError(
                f"The audit trail is not intact: first broken event: {problems[0]}",
                returncode=1,
            )
        rate = result.events / elapsed if elapsed > 0 else 0
        self.stdout.write(
            f"Audit trail intact: {result.events:,} events in {result.chains} chains "
            f"verified in {elapsed:.2f} s ({rate:,.0f} events/s)."
        )

    def _check_expected(self, path: str) -> list[str]:
        from django.db import connection

        with open(path, encoding="utf-8") as handle:
            expected = json.load(handle)
        problems = []
        with connection.cursor() as cursor:
            for chain, head in sorted(expected.items()):
                cursor.execute(
                    "SELECT hash FROM audit_auditevent WHERE chain = %s AND seq = %s",
                    [chain, head["seq"]],
                )
                row = cursor.fetchone()
                if row is None or row[0] != head["hash"]:
                    problems.append(
                        f"chain {chain}: sequence {head['seq']}: does not hold the head "
                        "recorded earlier (the chain was rewritten)"
                    )
        return problems
