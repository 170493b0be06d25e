from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurvivorsConfig(AppConfig):
    """Person records, identifications, screenings, cases, services, consent, missing episodes."""

    name = "safeharbor.survivors"
    label = "survivors"
    verbose_name = _("Survivors and cases")

    def ready(self) -> None:
        from safeharbor.core.registry import (
            Area,
            DemoLoader,
            Panel,
            PeriodicCheck,
            register_area,
            register_demo_loader,
            register_panel,
            register_periodic,
        )

        from . import demo, panels, protection, services

        protection.register()
        register_area(
            Area(
                slug="survivors",
                label=_("Survivors and cases"),
                url_name="survivors:person-list",
                permission="survivors.person.view",
                order=20,
            )
        )
        register_panel(
            Panel(
                slug="survivors-missing-deadlines",
                template_name="survivors/panels/missing_deadlines.html",
                context=panels.missing_deadlines,
                permission="survivors.missingepisode.view",
                order=10,
            )
        )
        register_panel(
            Panel(
                slug="survivors-close-approvals",
                template_name="survivors/panels/close_approvals.html",
                context=panels.close_approvals,
                permission="survivors.case.approve",
                order=20,
            )
        )
        register_periodic(
            PeriodicCheck(
                name="survivors-overdue-missing-reports",
                run=services.notify_overdue_missing_reports,
            )
        )
        register_periodic(PeriodicCheck(name="survivors-age-bands", run=services.refresh_age_bands))
        register_demo_loader(DemoLoader(name="survivors", load=demo.load, order=50))
