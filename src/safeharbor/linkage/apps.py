from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LinkageConfig(AppConfig):
    """Duplicate detection and unduplicated counts across agencies."""

    name = "safeharbor.linkage"
    label = "linkage"
    verbose_name = _("Record linkage")

    def ready(self) -> None:
        from safeharbor.core.registry import (
            Area,
            DemoLoader,
            Panel,
            register_area,
            register_demo_loader,
            register_panel,
        )

        from . import demo, panels, protection

        protection.register()
        register_area(
            Area(
                slug="linkage",
                label=_("Unduplicated counts"),
                url_name="linkage:index",
                permission="linkage.linkagerun.view",
                order=80,
            )
        )
        register_panel(
            Panel(
                slug="linkage-counts",
                template_name="linkage/_counts_panel.html",
                context=panels.counts,
                permission="linkage.linkagerun.view",
                order=30,
            )
        )
        register_panel(
            Panel(
                slug="linkage-review",
                template_name="linkage/_review_panel.html",
                context=panels.review,
                permission="linkage.duplicatepair.review",
                order=40,
            )
        )
        register_demo_loader(DemoLoader(name="linkage", load=demo.load, order=90))
