from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _panel_context(request: Any) -> dict[str, Any] | None:
    from .selectors import pending_counts

    counts = pending_counts(request.membership)
    if not counts["received"] and not counts["sent"]:
        return None
    return counts


class ReferralsConfig(AppConfig):
    """Referrals between agencies and programs, gated by consent."""

    name = "safeharbor.referrals"
    label = "referrals"
    verbose_name = _("Referrals")

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

        from . import demo, protection, services

        protection.register()
        register_area(
            Area(
                slug="referrals",
                label=_("Referrals"),
                url_name="referrals:index",
                permission="referrals.referral.view",
                order=30,
            )
        )
        register_panel(
            Panel(
                slug="referrals-pending",
                template_name="referrals/_panel.html",
                context=_panel_context,
                permission="referrals.referral.view",
                order=15,
            )
        )
        register_periodic(
            PeriodicCheck(
                name="referrals-end-legal-basis-access", run=services.end_legal_basis_access
            )
        )
        register_demo_loader(DemoLoader(name="referrals", load=demo.load, order=70))
