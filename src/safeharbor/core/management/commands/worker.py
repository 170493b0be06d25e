"""``safeharbor worker``: runs queued background tasks and, on a fixed interval, the periodic
checks that areas register (deadlines, expiries, inactive accounts)."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from safeharbor.core.periodic import run_periodic_checks

logger = logging.getLogger("safeharbor.worker")


class Command(BaseCommand):
    help = "Run background tasks and the periodic checks."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--once",
            action="store_true",
            help="Run the periodic checks once and the queued tasks, then stop.",
        )
        parser.add_argument(
            "--checks-only",
            action="store_true",
            help="With --once: run the periodic checks only, not the queued tasks.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from safeharbor.core.checks import require_keys_match_database

        require_keys_match_database()  # a wrong encryption key stops start-up here
        if options["once"]:
            for line in run_periodic_checks():
                self.stdout.write(line)
            if not options["checks_only"]:
                call_command("db_worker", "--batch", "--queue-name", "*")
            return
        stop = threading.Event()

        def periodic_loop() -> None:
            while not stop.is_set():
                try:
                    for line in run_periodic_checks():
                        logger.info("periodic %s", line)
                except Exception:
                    logger.exception("a periodic check failed; it will run again next interval")
                finally:
                    close_old_connections()
                stop.wait(settings.PERIODIC_INTERVAL_SECONDS)

        thread = threading.Thread(target=periodic_loop, name="periodic", daemon=True)
        thread.start()
        try:
            call_command("db_worker", "--queue-name", "*", "--interval", "1")
        finally:
            stop.set()
            time.sleep(0)
