"""The site as `make audit` and `make bench` serve it: the production WSGI application, with
MEDIA_ROOT served at /media/ as the reverse proxy of the README's deployment would."""

from django.conf import settings
from whitenoise import WhiteNoise

from painrelief.wsgi import application as site

application = WhiteNoise(site)
application.add_files(settings.MEDIA_ROOT, prefix=settings.MEDIA_URL)
