from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegislationConfig(AppConfig):
    """Jurisdictions, statutes, bills, the city's priorities and positions."""

    name = "safeharbor.legislation"
    label = "legislation"
    verbose_name = _("Legislation")

    def ready(self) -> None:
        from safeharbor.core.registry import (
            Area,
            DemoLoader,
            Panel,
            register_area,
            register_demo_loader,
            register_panel,
        )
        from safeharbor.directory.agenda import register_agenda_provider

        from . import demo, panels, selectors

        # The bills on an event's agenda, for the directory's event page and calendars.
        register_agenda_provider("legislation", selectors.agenda_lines_for)

        register_area(
            Area(
                slug="legislation",
                label=_("Legislation"),
                url_name="legislation:bill-list",
                permission="legislation.bill.view",
                order=70,
            )
        )
        register_panel(
            Panel(
                slug="legislation-watched",
                template_name="legislation/_panel_watched.html",
                context=panels.watched_bills,
                permission="legislation.bill.view",
                order=70,
            )
        )
        # After accounts (10) and the directory's own demo content.
        register_demo_loader(DemoLoader(name="legislation", load=demo.load, order=40))
