from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    """Public resources as Open Referral HSDS 3.0, the public site and events."""

    name = "safeharbor.directory"
    label = "directory"
    verbose_name = _("Directory and public site")
