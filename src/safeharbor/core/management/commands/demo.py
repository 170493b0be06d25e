"""``safeharbor demo``: migrate, load the Portland demo (idempotently), print the logins, and
serve the platform with a worker beside it."""

from __future__ import annotations

import os
import subprocess  # nosec B404 - only to start our own worker (fixed arguments)
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Run the demo: migrate, load demo data, print demo logins, serve with a worker."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-serve", action="store_true", help="Set up only; do not serve.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("`safeharbor demo` runs only in demo mode, never in production.")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_demo")
        port = os.environ.get("PORT", "8000")
        self.stdout.write("")
        self.stdout.write("Demo logins (role,email,password,agency):")
        call_command("demo_accounts", stdout=self.stdout)
        self.stdout.write("")
        self.stdout.write(
            "Sign in at http://127.0.0.1:%s/accounts/login/ — for the one-time code, run in "
            "another terminal:  .venv/bin/safeharbor otp EMAIL" % port
        )
        if options["no_serve"]:
            return
        # nosec B603 below: a fixed argument list, this Python running our own command.
        worker = subprocess.Popen([sys.executable, "-m", "safeharbor.cli", "worker"])  # nosec B603
        try:
            call_command("serve", bind=f"127.0.0.1:{port}", workers=2, threads=4)
        finally:
            worker.terminate()
            worker.wait(timeout=10)
