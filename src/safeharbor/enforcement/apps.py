from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnforcementConfig(AppConfig):
    """The police unit: operations, contacts, investigations, arrests and charges."""

    name = "safeharbor.enforcement"
    label = "enforcement"
    verbose_name = _("Enforcement")
