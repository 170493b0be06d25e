"""Settings shared by every mode. Secrets and deployment facts come from the environment."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent.parent
# src/safeharbor/settings/base.py -> the repository root (for an editable install).
PROJECT_DIR = PACKAGE_DIR.parent.parent
VAR_DIR = Path(env_str("SAFEHARBOR_VAR_DIR", str(PROJECT_DIR / "var"))).resolve()
NODE_MODULES = Path(env_str("SAFEHARBOR_NODE_MODULES", str(PROJECT_DIR / "node_modules")))

DEBUG = False
DEMO_MODE = False
SECRET_KEY = env_str("SAFEHARBOR_SECRET_KEY")
ALLOWED_HOSTS = env_list("SAFEHARBOR_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("SAFEHARBOR_CSRF_TRUSTED_ORIGINS")

# The key ring for encrypted fields, newest first ("keyid:base64key,keyid:base64key"), and the
# root key blind indexes are derived from. See docs/security.md.
ENCRYPTION_KEYS = env_str("SAFEHARBOR_ENCRYPTION_KEYS")
BLIND_INDEX_KEY = env_str("SAFEHARBOR_BLIND_INDEX_KEY")
# Backups are sealed with their own key (base64 of 32 bytes); see docs/operations.md.
BACKUP_KEY = env_str("SAFEHARBOR_BACKUP_KEY")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "rest_framework",
    "drf_spectacular",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "modeltranslation",
    "safeharbor.core",
    "safeharbor.audit",
    "safeharbor.accounts",
    "safeharbor.survivors",
    "safeharbor.referrals",
    "safeharbor.enforcement",
    "safeharbor.housing",
    "safeharbor.assets",
    "safeharbor.funds",
    "safeharbor.legislation",
    "safeharbor.directory",
    "safeharbor.linkage",
    "safeharbor.reports",
]

MIDDLEWARE = [
    "safeharbor.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # After the user is known: staff pages in the person's own language (public pages keep
    # the language of their address, set by LocaleMiddleware above).
    "safeharbor.accounts.middleware.StaffLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "safeharbor.accounts.middleware.SessionPolicyMiddleware",
    "safeharbor.accounts.middleware.StaffGateMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "safeharbor.core.middleware.SafetyHeadersMiddleware",
]

ROOT_URLCONF = "safeharbor.urls"
WSGI_APPLICATION = "safeharbor.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "safeharbor.core.context_processors.platform",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'safeharbor.sqlite3'}"),
        conn_max_age=env_int("SAFEHARBOR_DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the worker read while one of them writes; IMMEDIATE
    # transactions take the write lock up front so concurrent writers wait instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
            " PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["safeharbor.accounts.backends.EmailBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "safeharbor.accounts.validators.BannedPasswordValidator"},
]
# An operator-supplied list of banned passwords, one a line (no outside service is reachable).
BANNED_PASSWORDS_FILE = env_str("SAFEHARBOR_BANNED_PASSWORDS_FILE")

# Account and session policy (FBI CJIS Security Policy 5.6 numbers).
LOCKOUT_FAILURES = 5
LOCKOUT_WINDOW = timedelta(minutes=15)
SESSION_IDLE_TIMEOUT = timedelta(minutes=env_int("SAFEHARBOR_IDLE_MINUTES", 30))
SESSION_ABSOLUTE_LIMIT = timedelta(hours=12)
ACCOUNT_INACTIVE_DISABLE_AFTER = timedelta(days=90)
INVITATION_VALID_FOR = timedelta(days=3)
PASSWORD_RESET_TIMEOUT = 60 * 60  # one hour

SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_NAME = "sh_session"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_LIMIT.total_seconds())
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True

OTP_TOTP_ISSUER = env_str("SAFEHARBOR_OTP_ISSUER", "SafeHarbor")
OTP_TOTP_THROTTLE_FACTOR = 1

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
# Translatable content (directory, events): one column per language, English as fallback.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env_str("SAFEHARBOR_TIME_ZONE", "America/Los_Angeles")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [
    ("uswds/css", NODE_MODULES / "@uswds/uswds/dist/css"),
    ("uswds/js", NODE_MODULES / "@uswds/uswds/dist/js"),
    ("uswds/img", NODE_MODULES / "@uswds/uswds/dist/img"),
    ("uswds/fonts", NODE_MODULES / "@uswds/uswds/dist/fonts"),
    ("htmx", NODE_MODULES / "htmx.org/dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "files"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

EMAIL_BACKEND = env_str(
    "SAFEHARBOR_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env_str("SAFEHARBOR_FROM_EMAIL", "SafeHarbor <no-reply@safeharbor.invalid>")
EMAIL_HOST = env_str("SAFEHARBOR_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("SAFEHARBOR_EMAIL_PORT", 25)
EMAIL_USE_TLS = env_bool("SAFEHARBOR_EMAIL_USE_TLS", False)
SITE_URL = env_str("SAFEHARBOR_SITE_URL", "http://127.0.0.1:8000")

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# How often `safeharbor worker` runs the periodic checks that areas register.
PERIODIC_INTERVAL_SECONDS = env_int("SAFEHARBOR_PERIODIC_SECONDS", 300)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "safeharbor.accounts.api.authentication.ApiTokenAuthentication",
        "safeharbor.accounts.api.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["safeharbor.accounts.api.permissions.IsVerifiedStaff"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "safeharbor.core.api.StrictJSONParser",
        "safeharbor.core.api.StrictFormParser",
        "safeharbor.core.api.StrictMultiPartParser",
    ],
    "DEFAULT_THROTTLE_RATES": {"hsds": "120/minute", "anon": "120/minute"},
    "EXCEPTION_HANDLER": "safeharbor.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "SafeHarbor API",
    "DESCRIPTION": "Staff and integration API. Every call needs a verified (MFA) session or an "
    "agency-bound API token.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "BillClassificationEnum": "safeharbor.legislation.choices.BillClassification",
        "ActionClassificationEnum": "safeharbor.legislation.choices.ActionClassification",
        "SponsorshipKindEnum": "safeharbor.legislation.choices.SponsorshipKind",
        "IdentificationStatusEnum": "safeharbor.survivors.choices.IdentificationStatus",
        "CaseStatusEnum": "safeharbor.survivors.choices.CaseStatus",
        "ServiceStatusEnum": "safeharbor.survivors.choices.ServiceStatus",
        "CaseCloseReasonEnum": "safeharbor.survivors.choices.CaseCloseReason",
        "SignerRoleEnum": "safeharbor.survivors.choices.SignerRole",
        "OperationKindEnum": "safeharbor.enforcement.choices.OperationKind",
        "ContactRoleEnum": "safeharbor.enforcement.choices.ContactRole",
        "InvestigationStatusEnum": "safeharbor.enforcement.choices.InvestigationStatus",
        "PropertyKindEnum": "safeharbor.funds.choices.PropertyKind",
        "ForfeitureStateEnum": "safeharbor.assets.choices.ForfeitureState",
        "NoticeMethodEnum": "safeharbor.assets.choices.NoticeMethod",
        "DispositionMethodEnum": "safeharbor.assets.choices.DispositionMethod",
    },
}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "safeharbor": {"handlers": ["console"], "level": os.environ.get("SAFEHARBOR_LOG", "INFO")},
        "django.security": {"handlers": ["console"], "level": "WARNING"},
    },
}

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Staff pages: "same-origin" sends the address only to this site, never to another. Not
# "no-referrer": under it a browser sends "Origin: null" with every form it posts (Fetch
# standard), and Django's CSRF check refuses every staff form, sign-in first. The public
# site, which has no forms and sets no cookies, keeps "no-referrer" (core.middleware).
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Where the public site's quick exit sends a visitor: a neutral, everyday page.
QUICK_EXIT_URL = env_str("SAFEHARBOR_QUICK_EXIT_URL", "https://www.weather.gov/")
