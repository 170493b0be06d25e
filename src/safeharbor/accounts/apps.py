from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Agencies, programs, users, memberships and roles, MFA, sessions, notifications."""

    name = "safeharbor.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from safeharbor.core.registry import (
            Area,
            DemoLoader,
            PeriodicCheck,
            register_area,
            register_demo_loader,
            register_periodic,
        )

        from . import demo, services
        from .api import schema  # noqa: F401  (registers the OpenAPI auth extensions)

        register_area(
            Area(
                slug="administration",
                label=_("Administration"),
                url_name="accounts:admin-users",
                permission="accounts.user.change",
                order=900,
            )
        )
        register_periodic(
            PeriodicCheck(name="disable-inactive-accounts", run=services.disable_inactive_accounts)
        )
        register_demo_loader(DemoLoader(name="accounts", load=demo.load, order=10))
