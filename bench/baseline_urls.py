"""The share page's baseline: a minimal Django view returning a fixed HTML page.

Served by `bench.baseline_wsgi` through the same gunicorn, settings and
middleware as the product; only the view differs. The page is exactly
BENCH_PAGE_BYTES long, the size of the employer page it stands beside.
"""

import os

from django.http import HttpRequest, HttpResponse
from django.urls import path

_HEAD = (
    "<!doctype html><html lang=en><head><meta charset=utf-8><title>Baseline</title></head><body><p>"
)
_TAIL = "</p></body></html>"
_SIZE = int(os.environ.get("BENCH_PAGE_BYTES", "16384"))
PAGE = (_HEAD + "x" * max(0, _SIZE - len(_HEAD) - len(_TAIL)) + _TAIL).encode("ascii")


def page(request: HttpRequest) -> HttpResponse:
    """The fixed page."""
    return HttpResponse(PAGE, content_type="text/html; charset=utf-8")


urlpatterns = [path("", page)]
