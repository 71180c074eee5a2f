"""The API's description and its interactive docs (Swagger UI from local assets, started
by a static script: no inline code). The endpoints themselves live in the apps."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET


@require_GET
def api_docs(request: HttpRequest) -> HttpResponse:
    """Swagger UI for the API, under the site's strict Content-Security-Policy."""
    return render(request, "api/docs.html", {"schema_url": reverse("api:schema")})


GUIDE = gettext_lazy(
    """
Everything the wallet does for a learner, from code.

**Authentication.** Make a personal access token on the *API tokens* page
(`/api/tokens/`), choose *read* or *read and write*, and send it as
`Authorization: Bearer <token>`. It is shown once; keep it secret. A logged-in
browser session works too (send the `X-CSRFToken` header on writes).

**Errors** all share one shape, with a stable `code` to branch on and a `message`
for people:
`{"error": {"code": "not_found", "message": "…", "fields": {}}}`.
Another learner's object is a 404, a missing or bad token a 401.

**Lists** are paginated (`page`, `page_size` up to 100) and answer
`{"count", "next", "previous", "results"}`.

**A first script**: `POST /api/v1/credentials/import/file/` (multipart `file`) →
`POST /api/v1/collections/` with the new credential's `uuid` →
`POST /api/v1/share-links/` with the collection's `uuid` →
`POST /api/v1/share-links/{uuid}/transcript/`, poll `GET …/transcript/` until
`is_current` → `GET …/transcript/download/`.
"""
)

SCHEMA_SETTINGS = {
    "DESCRIPTION": GUIDE,
    "TAGS": [
        {"name": "Profile", "description": gettext_lazy("Who you are in the wallet.")},
        {
            "name": "Credentials",
            "description": gettext_lazy("What you hold, with verdicts and checks."),
        },
        {
            "name": "Import",
            "description": gettext_lazy("Bring credentials in: a file, text or a web address."),
        },
        {
            "name": "Curation",
            "description": gettext_lazy("Your notes, tags, pins and hidden credentials."),
        },
        {
            "name": "Collections",
            "description": gettext_lazy("Named, ordered groups of credentials."),
        },
        {"name": "Skills", "description": gettext_lazy("Capabilities backed by credentials.")},
        {
            "name": "Share links",
            "description": gettext_lazy("What you give an employer, and its views."),
        },
        {
            "name": "Transcripts",
            "description": gettext_lazy("A share link's PDF, made in the background."),
        },
        {"name": "Export", "description": gettext_lazy("Download everything as a ZIP.")},
        {"name": "Tokens", "description": gettext_lazy("Your personal access tokens.")},
    ],
}
