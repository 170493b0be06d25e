"""``safeharbor serve``: the production WSGI server (gunicorn), static files by WhiteNoise."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve SafeHarbor with gunicorn on the address in --bind (default 127.0.0.1:$PORT)."

    def add_arguments(self, parser: Any) -> None:
        port = os.environ.get("PORT", "8000")
        parser.add_argument(
            "--bind", default=os.environ.get("SAFEHARBOR_BIND", f"127.0.0.1:{port}")
        )
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2"))
        )
        parser.add_argument("--threads", type=int, default=4)

    def handle(self, *args: Any, **options: Any) -> None:
        from safeharbor.core.checks import require_keys_match_database

        require_keys_match_database()  # a wrong encryption key stops start-up here
        from gunicorn.app.base import BaseApplication

        from safeharbor.wsgi import application

        class Server(BaseApplication):  # type: ignore[misc]
            def load_config(self) -> None:
                self.cfg.set("bind", options["bind"])
                self.cfg.set("workers", options["workers"])
                self.cfg.set("threads", options["threads"])
                self.cfg.set("accesslog", "-")
                self.cfg.set("timeout", 120)
                self.cfg.set(
                    "forwarded_allow_ips", os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
                )

            def load(self) -> Any:
                return application

        self.stdout.write(f"SafeHarbor is serving at http://{options['bind']}/")
        Server().run()
