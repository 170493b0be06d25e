from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Dashboards, performance measures, exports and public statistics."""

    name = "safeharbor.reports"
    label = "reports"
    verbose_name = _("Reports")
