"""The API's pages for people: the learner's personal access tokens and the interactive
docs (Swagger UI from local assets, started by a static script: no inline code)."""

from datetime import datetime, timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from credentials import services_tokens
from credentials.models import ApiToken, ApiTokenScope

EXPIRY_CHOICES = [
    ("30", gettext_lazy("In 30 days")),
    ("90", gettext_lazy("In 90 days")),
    ("365", gettext_lazy("In a year")),
    ("never", gettext_lazy("Never")),
]


class ApiTokenForm(forms.Form):
    """Name, access and expiry of a new token."""

    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("What will use it, such as “Nightly sync script”."),
    )
    scope = forms.ChoiceField(
        label=gettext_lazy("Access"),
        choices=ApiTokenScope.choices,
        initial=ApiTokenScope.READ,
        widget=forms.RadioSelect,
    )
    expiry = forms.ChoiceField(label=gettext_lazy("Expires"), choices=EXPIRY_CHOICES, initial="90")

    def expires_at(self) -> datetime | None:
        """The chosen expiry as a moment, None for never."""
        value = self.cleaned_data["expiry"]
        return None if value == "never" else timezone.now() + timedelta(days=int(value))


@never_cache
@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    """The learner's tokens, and a form to make one; a new token is shown this once."""
    form = ApiTokenForm(request.POST or None)
    made = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                made = services_tokens.create_api_token(
                    owner=request.user,
                    name=form.cleaned_data["name"],
                    scope=form.cleaned_data["scope"],
                    expires_at=form.expires_at(),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                form = ApiTokenForm()
        if made is None:
            status = 400
    ctx = {
        "form": form,
        "made": made,
        "tokens": ApiToken.objects.owned_by(request.user).order_by("revoked_at", "-created_at"),
        "now": timezone.now(),
        "docs_url": reverse("api:docs"),
    }
    return render(request, "api/token_list.html", ctx, status=status)


@login_required
def token_revoke(request: HttpRequest, token_uuid: str) -> HttpResponse:
    """Confirm, then revoke a token at once."""
    api_token = get_object_or_404(ApiToken.objects.owned_by(request.user), uuid=token_uuid)
    if request.method == "POST":
        services_tokens.revoke_api_token(api_token=api_token, actor=request.user)
        messages.success(request, _("The token “%(name)s” is revoked.") % {"name": api_token.name})
        return redirect("api:token_list")
    return render(request, "api/token_revoke.html", {"api_token": api_token})


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
