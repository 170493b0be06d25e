from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _panel_context(request: Any) -> dict[str, Any] | None:
    from .permissions import visible_funds
    from .selectors import fund_overview

    fund = visible_funds(request.membership).first()
    if fund is None:
        return None
    return {"fund": fund, "overview": fund_overview(fund)}


class FundsConfig(AppConfig):
    """The restricted fund as a double-entry ledger."""

    name = "safeharbor.funds"
    label = "funds"
    verbose_name = _("Restricted fund")

    def ready(self) -> None:
        from safeharbor.core.registry import (
            Area,
            DemoLoader,
            Panel,
            register_area,
            register_demo_loader,
            register_panel,
        )

        from . import demo

        register_area(
            Area(
                slug="funds",
                label=_("Restricted fund"),
                url_name="funds:index",
                permission="funds.fund.view",
                order=60,
            )
        )
        register_panel(
            Panel(
                slug="funds",
                template_name="funds/_panel.html",
                context=_panel_context,
                permission="funds.fund.view",
                order=60,
            )
        )
        register_demo_loader(DemoLoader(name="funds", load=demo.load, order=60))
