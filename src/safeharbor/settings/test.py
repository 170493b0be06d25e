"""Settings for the test suite: fast hashing, fixed synthetic keys, tasks run immediately."""

from __future__ import annotations

from .base import *  # noqa: F403
from .base import DATABASES

DEBUG = False
DEMO_MODE = True
SECRET_KEY = "test-only-secret-key-not-for-any-deployment-0123456789abcdef"  # noqa: S105 # nosec B105
# Fixed, synthetic test keys (32 zero-ish bytes, base64) so tests are repeatable.
ENCRYPTION_KEYS = (
    "t2:dGVzdC1rZXktdHdvLXRlc3Qta2V5LXR3by10ZXN0LTI=,"
    "t1:dGVzdC1rZXktb25lLXRlc3Qta2V5LW9uZS10ZXN0LTE="
)
BLIND_INDEX_KEY = "dGVzdC1ibGluZC1pbmRleC1rZXktdGVzdC1ibGluZC0x"
BACKUP_KEY = "dGVzdC1iYWNrdXAta2V5LXRlc3QtYmFja3VwLWtleTE="
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": ""}  # in memory
REST_FRAMEWORK = {**REST_FRAMEWORK}  # noqa: F405
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {"hsds": "100000/minute", "anon": "100000/minute"}
# A synthetic protected model and the permission harness's helpers (tests only).
INSTALLED_APPS = [*INSTALLED_APPS, "safeharbor.core.testing"]  # noqa: F405
