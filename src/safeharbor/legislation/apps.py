from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegislationConfig(AppConfig):
    """Jurisdictions, statutes, bills, the city's priorities and positions."""

    name = "safeharbor.legislation"
    label = "legislation"
    verbose_name = _("Legislation")
