from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    """Referrals between agencies and programs, gated by consent."""

    name = "safeharbor.referrals"
    label = "referrals"
    verbose_name = _("Referrals")
