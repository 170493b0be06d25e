from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurvivorsConfig(AppConfig):
    """Person records, identifications, screenings, cases, services, consent, missing episodes."""

    name = "safeharbor.survivors"
    label = "survivors"
    verbose_name = _("Survivors and cases")
