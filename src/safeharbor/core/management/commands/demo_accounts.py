"""``safeharbor demo-accounts``: the demo logins as CSV (role,email,password,agency)."""

from __future__ import annotations

import csv
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from safeharbor.accounts.demo import primary_accounts


class Command(BaseCommand):
    help = "Print one demo login per role as CSV. Demo mode only."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("Demo accounts exist only in demo mode.")
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(["role", "email", "password", "agency"])
        for account in primary_accounts():
            writer.writerow([account.role, account.email, account.password, account.agency])
