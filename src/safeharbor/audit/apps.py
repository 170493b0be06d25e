from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """Append-only, hash-chained audit events and their verification."""

    name = "safeharbor.audit"
    label = "audit"
    verbose_name = _("Audit trail")
