from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LinkageConfig(AppConfig):
    """Duplicate detection and unduplicated counts across agencies."""

    name = "safeharbor.linkage"
    label = "linkage"
    verbose_name = _("Record linkage")
