from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Dashboards, performance measures, exports and public statistics."""

    name = "safeharbor.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from safeharbor.core.registry import Area, register_area

        from .sections import register_builtin_sections

        register_builtin_sections()
        register_area(
            Area(
                slug="reports",
                label=_("Reports"),
                url_name="reports:dashboard",
                permission="reports.dashboard.view",
                order=90,
            )
        )
