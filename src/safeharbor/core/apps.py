from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Shared mechanisms: encrypted fields, blind indexes, permissions, jobs, registries."""

    name = "safeharbor.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import checks  # noqa: F401  (registers the key checks)
        from .keys import on_post_migrate

        post_migrate.connect(on_post_migrate, sender=self, dispatch_uid="core_key_canary")
