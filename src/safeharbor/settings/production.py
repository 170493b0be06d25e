"""Production: every secret and host comes from the environment; missing ones stop start-up."""

from __future__ import annotations

from .base import *  # noqa: F403
from .env import env_bool, env_int, env_list, env_str

DEBUG = False
DEMO_MODE = False

SECRET_KEY = env_str("SAFEHARBOR_SECRET_KEY", required=True)
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "SAFEHARBOR_SECRET_KEY must be a random value of at least 50 characters "
        "(for example: python -c 'import secrets; print(secrets.token_urlsafe(50))')."
    )
ALLOWED_HOSTS = env_list("SAFEHARBOR_ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "SAFEHARBOR_ALLOWED_HOSTS must list the host names this server answers to, "
        "separated by commas."
    )
env_str("DATABASE_URL", required=True)
ENCRYPTION_KEYS = env_str("SAFEHARBOR_ENCRYPTION_KEYS", required=True)
BLIND_INDEX_KEY = env_str("SAFEHARBOR_BLIND_INDEX_KEY", required=True)
BACKUP_KEY = env_str("SAFEHARBOR_BACKUP_KEY", required=True)

# Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SAFEHARBOR_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env_int("SAFEHARBOR_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SAFEHARBOR_HSTS_PRELOAD", True)
SESSION_COOKIE_NAME = "__Host-sh_session"
CSRF_COOKIE_NAME = "__Host-csrftoken"
EMAIL_BACKEND = env_str("SAFEHARBOR_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
