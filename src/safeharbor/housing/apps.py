from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HousingConfig(AppConfig):
    """Housing programs, units, placements, rental assistance and outcomes."""

    name = "safeharbor.housing"
    label = "housing"
    verbose_name = _("Housing")

    def ready(self) -> None:
        from safeharbor.core.registry import (
            Area,
            DemoLoader,
            register_area,
            register_demo_loader,
        )
        from safeharbor.funds.permissions import register_posting_source

        from . import dashboard, demo, protection, services

        protection.register()
        register_posting_source(services.POSTING_SOURCE, permission="housing.assistancepayment.pay")
        register_area(
            Area(
                slug="housing",
                label=_("Housing"),
                url_name="housing:index",
                permission="housing.housingprogram.view",
                order=40,
            )
        )
        register_demo_loader(DemoLoader(name="housing", load=demo.load, order=85))
        dashboard.register_section()
