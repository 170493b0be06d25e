from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    LOGIN = "login", _("Signed in")
    LOGIN_FAILED = "login_failed", _("Sign-in refused")
    LOGOUT = "logout", _("Signed out")
    VIEW = "view", _("Viewed")
    LIST = "list", _("Listed")
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Deleted")
    EXPORT = "export", _("Exported")
    PERMISSION_CHANGE = "permission_change", _("Access changed")
    BREAK_GLASS = "break_glass", _("Emergency access")
    MFA_CHANGE = "mfa_change", _("Two-step sign-in changed")
    KEY_ROTATION = "key_rotation", _("Keys rotated")
    DISCLOSURE = "disclosure", _("Disclosed under consent")


class AuditOutcome(models.TextChoices):
    SUCCESS = "success", _("Succeeded")
    DENIED = "denied", _("Denied")
    FAILED = "failed", _("Failed")


class ActorKind(models.TextChoices):
    USER = "user", _("Staff user")
    SYSTEM = "system", _("System (background job)")
    ANONYMOUS = "anonymous", _("Not signed in")
    TOKEN = "token", _("API token")
