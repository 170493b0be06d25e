from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnforcementConfig(AppConfig):
    """The police unit: operations, contacts, investigations, arrests and charges."""

    name = "safeharbor.enforcement"
    label = "enforcement"
    verbose_name = _("Enforcement")

    def ready(self) -> None:
        from safeharbor.core.registry import Area, register_area

        from . import protection

        protection.register()
        register_area(
            Area(
                slug="enforcement",
                label=_("Enforcement"),
                url_name="enforcement:index",
                permission="enforcement.operation.view",
                order=35,
            )
        )
