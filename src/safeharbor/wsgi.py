"""WSGI entry point for ``safeharbor serve`` and any WSGI server."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeharbor.settings.dev")
application = get_wsgi_application()
