from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    """Public resources as Open Referral HSDS 3.0, the public site and events."""

    name = "safeharbor.directory"
    label = "directory"
    verbose_name = _("Directory and public site")

    def ready(self) -> None:
        from safeharbor.core.registry import Area, DemoLoader, register_area, register_demo_loader

        from . import demo

        register_area(
            Area(
                slug="directory",
                label=_("Public site"),
                url_name="directory:home",
                permission="directory.service.view",
                order=80,
            )
        )
        # After accounts (10): services link to the demo programs.
        register_demo_loader(DemoLoader(name="directory", load=demo.load, order=30))
