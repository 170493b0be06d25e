from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnforcementConfig(AppConfig):
    """The police unit: operations, contacts, investigations, arrests and charges."""

    name = "safeharbor.enforcement"
    label = "enforcement"
    verbose_name = _("Enforcement")

    def ready(self) -> None:
        from safeharbor.core.registry import Area, DemoLoader, register_area, register_demo_loader

        from . import demo, protection

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
        register_demo_loader(DemoLoader(name="enforcement", load=demo.load, order=70))
