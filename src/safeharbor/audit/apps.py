from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """Append-only, hash-chained audit events and their verification."""

    name = "safeharbor.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from safeharbor.core.registry import Area, Panel, register_area, register_panel

        from . import guard
        from .panels import break_glass_panel

        connection_created.connect(guard.register_sqlite_function, dispatch_uid="audit_guard_fn")
        # Re-create the append-only triggers after every migrate: SQLite drops them when a
        # migration rebuilds the table.
        post_migrate.connect(guard.on_post_migrate, sender=self, dispatch_uid="audit_guard")
        register_area(
            Area(
                slug="audit",
                label=_("Audit trail"),
                url_name="audit:events",
                permission="audit.auditevent.view",
                order=900,
            )
        )
        register_panel(
            Panel(
                slug="break-glass",
                template_name="audit/_break_glass_panel.html",
                context=break_glass_panel,
                permission="audit.breakglass.review",
                order=5,
            )
        )
