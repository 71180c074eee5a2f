"""The learner's profile: name, headline, bio, photo, and identifiers for matching."""

from allauth.account.models import EmailAddress
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from credentials.models import RecipientIdentifier
from wallet import services
from wallet.forms import IdentifierForm, PhotoForm, ProfileForm


def _page(request: HttpRequest, status: int = 200, **forms: object) -> HttpResponse:
    wallet = services.ensure_wallet(user=request.user)
    ctx = {
        "wallet": wallet,
        "profile_form": ProfileForm(
            initial={
                "display_name": wallet.display_name,
                "headline": wallet.headline,
                "bio": wallet.bio,
            }
        ),
        "photo_form": PhotoForm(),
        "identifier_form": IdentifierForm(),
        "emails": EmailAddress.objects.filter(user=request.user).order_by("-primary", "email"),
        "identifiers": RecipientIdentifier.objects.owned_by(request.user),
        **forms,
    }
    return render(request, "wallet/profile.html", ctx, status=status)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """Show and save the profile (display name, headline, bio)."""
    if request.method != "POST":
        return _page(request)
    form = ProfileForm(request.POST)
    if not form.is_valid():
        return _page(request, status=400, profile_form=form)
    services.update_profile(wallet=services.ensure_wallet(user=request.user), **form.cleaned_data)
    messages.success(request, _("Your profile was saved."))
    return redirect("wallet:profile")


@login_required
@require_POST
def profile_photo_upload(request: HttpRequest) -> HttpResponse:
    """Replace the profile photo with a checked, shrunk and cleaned copy of the upload."""
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.set_profile_photo(
                wallet=services.ensure_wallet(user=request.user), data=form.cleaned_data["photo"]
            )
        except ValidationError as exc:
            form.add_error("photo", exc)
        else:
            messages.success(request, _("Your photo was saved."))
            return redirect("wallet:profile")
    return _page(request, status=400, photo_form=form)


@login_required
@require_POST
def profile_photo_remove(request: HttpRequest) -> HttpResponse:
    """Remove the profile photo."""
    services.set_profile_photo(wallet=services.ensure_wallet(user=request.user), data=None)
    messages.success(request, _("Your photo was removed."))
    return redirect("wallet:profile")


@login_required
def profile_photo(request: HttpRequest) -> FileResponse:
    """The learner's own photo, as stored (a re-encoded PNG)."""
    wallet = services.ensure_wallet(user=request.user)
    if not wallet.photo:
        raise Http404
    response = FileResponse(wallet.photo.open("rb"), content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def identifier_add(request: HttpRequest) -> HttpResponse:
    """Add a DID or web address for recipient matching."""
    form = IdentifierForm(request.POST)
    if form.is_valid():
        try:
            services.add_recipient_identifier(owner=request.user, value=form.cleaned_data["value"])
        except ValidationError as exc:
            form.add_error("value", exc)
        else:
            messages.success(request, _("The identifier was added."))
            return redirect("wallet:profile")
    return _page(request, status=400, identifier_form=form)


@login_required
@require_POST
def identifier_remove(request: HttpRequest, identifier_uuid: str) -> HttpResponse:
    """Stop matching credentials on an identifier."""
    identifier = get_object_or_404(
        RecipientIdentifier.objects.owned_by(request.user), uuid=identifier_uuid
    )
    services.remove_recipient_identifier(identifier=identifier)
    messages.success(request, _("The identifier was removed."))
    return redirect("wallet:profile")
