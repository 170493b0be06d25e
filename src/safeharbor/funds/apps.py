from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    """The restricted fund as a double-entry ledger."""

    name = "safeharbor.funds"
    label = "funds"
    verbose_name = _("Restricted fund")
