from django.apps import AppConfig


class CoreTestingConfig(AppConfig):
    """Models used only by the test suite to exercise core mechanisms."""

    name = "safeharbor.core.testing"
    label = "core_testing"
    verbose_name = "Core test support"
    default_auto_field = "django.db.models.BigAutoField"
