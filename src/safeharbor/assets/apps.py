from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssetsConfig(AppConfig):
    """Seized property: custody chain, forfeiture and disposition."""

    name = "safeharbor.assets"
    label = "assets"
    verbose_name = _("Seized property")
