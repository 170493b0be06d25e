from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def _panel_context(request: Any) -> dict[str, Any] | None:
    from .selectors import deadlines_for

    deadlines = deadlines_for(request.membership, today=timezone.localdate())
    return {"deadlines": deadlines[:20], "more": max(0, len(deadlines) - 20)}


class AssetsConfig(AppConfig):
    """Seized property: custody chain, forfeiture and disposition."""

    name = "safeharbor.assets"
    label = "assets"
    verbose_name = _("Seized property")

    def ready(self) -> None:
        from safeharbor.core.registry import (
            Area,
            DemoLoader,
            Panel,
            PeriodicCheck,
            register_area,
            register_demo_loader,
            register_panel,
            register_periodic,
        )
        from safeharbor.funds.permissions import register_posting_source

        from . import dashboard, demo, protection, services

        protection.register()
        dashboard.register()
        register_posting_source(services.SOURCE_TYPE, permission="assets.disposition.add")
        register_area(
            Area(
                slug="assets",
                label=_("Seized property"),
                url_name="assets:index",
                permission="assets.seizedasset.view",
                order=75,
            )
        )
        register_panel(
            Panel(
                slug="assets-deadlines",
                template_name="assets/_panel.html",
                context=_panel_context,
                permission="assets.forfeitureevent.add",
                order=20,
            )
        )
        register_periodic(
            PeriodicCheck(name="assets-forfeiture-deadlines", run=services.remind_deadlines)
        )
        register_demo_loader(DemoLoader(name="assets", load=demo.load, order=80))
