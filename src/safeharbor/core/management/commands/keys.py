"""``safeharbor keys``: the encryption key ring.

- ``keys rotate``: re-encrypt every encrypted value and file under the newest key, in
  batches with a progress bar. Each batch commits on its own: stop it at any time and run
  it again; values already under the newest key are skipped.
- ``keys status``: how many values are under each key, and whether the keys are right.
- ``keys generate KEYID``: print a new ring entry to put first in
  SAFEHARBOR_ENCRYPTION_KEYS.
"""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from safeharbor.core.crypto import KEY_ID_PATTERN, generate_key, get_key_ring
from safeharbor.core.keys import key_problems, key_usage, rotate_all

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Encryption keys: rotate, status, generate."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["rotate", "status", "generate"])
        parser.add_argument("key_id", nargs="?", help="for 'generate': the new key's id")
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument("--database", default="default")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "generate":
            key_id = options["key_id"] or time.strftime("k%Y%m%d")
            if not KEY_ID_PATTERN.match(key_id):
                raise CommandError("A key id is letters, digits, '-' or '_' (up to 32).")
            self.stdout.write(f"{key_id}:{generate_key()}")
            return
        problems = key_problems(options["database"])
        if action == "status":
            ring = get_key_ring()
            self.stdout.write(f"Newest key: {ring.current_id}; ring: {', '.join(ring.ids)}")
            for label, counts in key_usage(options["database"]).items():
                shown = ", ".join(f"{k}={n}" for k, n in sorted(counts.items())) or "empty"
                self.stdout.write(f"  {label}: {shown}")
            for problem in problems:
                self.stderr.write(f"PROBLEM {problem}")
            if problems:
                raise CommandError("The keys do not match this database.")
            return
        if problems and not all("is not in SAFEHARBOR" in p for p in problems):
            raise CommandError(" ".join(problems))
        self._rotate(options)

    def _rotate(self, options: Any) -> None:
        newest = get_key_ring().current_id
        tty = hasattr(self.stdout, "isatty") and self.stdout.isatty()
        last_step = [-1]

        def progress(done: int, total: int, label: str) -> None:
            fraction = done / total if total else 1.0
            filled = int(fraction * BAR_WIDTH)
            bar = "#" * filled + "-" * (BAR_WIDTH - filled)
            line = f"[{bar}] {fraction:6.1%} {done:,}/{total:,} {label}"
            if tty:
                self.stdout.write("\r" + line.ljust(100), ending="")
                self.stdout.flush()
            else:
                step = int(fraction * 20)  # a line every 5%
                if step != last_step[0]:
                    last_step[0] = step
                    self.stdout.write(line)

        self.stdout.write(f"Re-encrypting every encrypted value under key '{newest}'…")
        try:
            result = rotate_all(
                batch_size=options["batch_size"], using=options["database"], progress=progress
            )
        except KeyboardInterrupt:
            self.stdout.write("")
            self.stderr.write(
                "Stopped. Every finished batch is saved; run 'safeharbor keys rotate' again to "
                "continue."
            )
            sys.exit(130)
        if tty:
            self.stdout.write("")
        self.stdout.write(
            f"Done: {result.scanned:,} values checked in {len(result.columns)} columns, "
            f"{result.rotated:,} re-encrypted, {result.files_rotated:,} files re-encrypted."
        )
        if result.remaining_old:
            raise CommandError(
                f"{result.remaining_old} values are still under older keys (changed during the "
                "run?). Run 'safeharbor keys rotate' again."
            )
        older = [k for k in get_key_ring().ids if k != newest]
        if older:
            self.stdout.write(
                "Nothing is encrypted under "
                + ", ".join(repr(k) for k in older)
                + " any more; they can be removed from SAFEHARBOR_ENCRYPTION_KEYS."
            )
