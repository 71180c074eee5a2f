"""WSGI entry point of the share page's baseline (see bench/baseline_urls.py)."""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# The product's settings and middleware, with the baseline's one URL instead of the site's.
settings.ROOT_URLCONF = "bench.baseline_urls"
application = get_wsgi_application()
