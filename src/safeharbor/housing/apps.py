from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HousingConfig(AppConfig):
    """Housing programs, units, placements, rental assistance and outcomes."""

    name = "safeharbor.housing"
    label = "housing"
    verbose_name = _("Housing")
