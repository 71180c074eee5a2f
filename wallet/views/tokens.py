"""The learner's personal access tokens for the API: list, make (shown once), revoke."""

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from wallet import tokens
from wallet.forms import ApiTokenForm
from wallet.models import ApiToken


@never_cache
@login_required
# A stolen session must not turn into a token that outlives it: making one asks for the
# password again (allauth replays the form after it), and the owner gets a security notice.
@reauthentication_required(allow_get=True)
def token_list(request: HttpRequest) -> HttpResponse:
    """The learner's tokens, and a form to make one; a new token is shown this once."""
    form = ApiTokenForm(request.POST or None)
    made = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                made = tokens.create_api_token(
                    owner=request.user,
                    name=form.cleaned_data["name"],
                    scope=form.cleaned_data["scope"],
                    expires_at=form.expires_at(),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                tokens.announce_api_token(request=request, api_token=made.api_token)
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
    return render(request, "wallet/apitoken_list.html", ctx, status=status)


@login_required
def token_revoke(request: HttpRequest, token_uuid: str) -> HttpResponse:
    """Confirm, then revoke a token at once."""
    api_token = get_object_or_404(ApiToken.objects.owned_by(request.user), uuid=token_uuid)
    if request.method == "POST":
        tokens.revoke_api_token(api_token=api_token, actor=request.user)
        messages.success(request, _("The token “%(name)s” is revoked.") % {"name": api_token.name})
        return redirect("api:token_list")
    return render(request, "wallet/apitoken_revoke.html", {"api_token": api_token})
