"""WSGI entry point (gunicorn painrelief.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "painrelief.settings")

application = get_wsgi_application()
