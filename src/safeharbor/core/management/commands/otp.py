"""``safeharbor otp EMAIL``: a one-time code for a demo account, so nobody needs a phone to
try the demo. Waits for the next 30-second step when the current code was already used."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeharbor.accounts.demo import DEMO_DOMAIN


class Command(BaseCommand):
    help = "Print an unused one-time code for a demo account (demo mode only)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("email")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("One-time codes can be printed only in demo mode.")
        email = options["email"].strip().lower()
        if not email.endswith("@" + DEMO_DOMAIN):
            raise CommandError("Only demo accounts (…@%s) have printable codes." % DEMO_DOMAIN)
        device = TOTPDevice.objects.filter(user__email__iexact=email, confirmed=True).first()
        if device is None:
            raise CommandError("No demo account with an authenticator has that email.")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        while totp.t() <= device.last_t:
            time.sleep(0.5)
            totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{totp.token():0{device.digits}d}")
