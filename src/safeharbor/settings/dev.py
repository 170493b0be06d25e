"""The embedded default: SQLite under var/, demo data, keys generated into var/ on first run."""

from __future__ import annotations

import base64
import json
import os
import secrets

from .base import *  # noqa: F403
from .base import VAR_DIR
from .env import env_bool

DEBUG = env_bool("SAFEHARBOR_DEBUG", False)
DEMO_MODE = env_bool("SAFEHARBOR_DEMO", True)


def _demo_secrets() -> dict[str, str]:
    """Load, or create once, the demo's own secret key and encryption keys under var/."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "demo-secrets.json"
    if path.exists():
        values = json.loads(path.read_text())
        if "backup_key" not in values:
            # Demo secrets written before backups existed: add the backup key in place.
            values["backup_key"] = base64.b64encode(secrets.token_bytes(32)).decode()
            partial = path.with_name(path.name + ".new")
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as handle:
                json.dump(values, handle)
            os.replace(partial, path)
        return values
    values = {
        "secret_key": secrets.token_urlsafe(50),
        "encryption_keys": "k1:" + base64.b64encode(secrets.token_bytes(32)).decode(),
        "blind_index_key": base64.b64encode(secrets.token_bytes(32)).decode(),
        "backup_key": base64.b64encode(secrets.token_bytes(32)).decode(),
    }
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(values, handle)
    return values


_secrets = _demo_secrets()
SECRET_KEY = os.environ.get("SAFEHARBOR_SECRET_KEY") or _secrets["secret_key"]
ENCRYPTION_KEYS = os.environ.get("SAFEHARBOR_ENCRYPTION_KEYS") or _secrets["encryption_keys"]
BLIND_INDEX_KEY = os.environ.get("SAFEHARBOR_BLIND_INDEX_KEY") or _secrets["blind_index_key"]
BACKUP_KEY = os.environ.get("SAFEHARBOR_BACKUP_KEY") or _secrets["backup_key"]

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
