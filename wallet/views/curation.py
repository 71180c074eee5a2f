"""The learner's actions on one credential: notes, tags, pin, hide, collections."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from credentials.models import Credential
from wallet import curation_services
from wallet.forms import CredentialCollectionsForm, NotesForm, TagsForm
from wallet.models import Collection
from wallet.views.credentials import credential_page_context, curation_context


def _owned_top_level(request: HttpRequest, credential_uuid: str) -> Credential:
    return get_object_or_404(
        Credential.objects.owned_by(request.user).top_level(), uuid=credential_uuid
    )


def _invalid(request: HttpRequest, credential: Credential, **bound: object) -> HttpResponse:
    ctx = {
        **credential_page_context(credential),
        **curation_context(request, credential, **bound),
    }
    return render(request, "wallet/credential_detail.html", ctx, status=400)


@login_required
@require_POST
def credential_notes(request: HttpRequest, credential_uuid: str) -> HttpResponse:
    """Save the private note and the public description."""
    credential = _owned_top_level(request, credential_uuid)
    form = NotesForm(request.POST)
    if not form.is_valid():
        return _invalid(request, credential, notes_form=form)
    curation_services.update_credential_notes(
        credential=credential,
        note=form.cleaned_data["note"],
        public_description=form.cleaned_data["public_description"],
    )
    messages.success(request, _("Your notes were saved."))
    return redirect(credential)


@login_required
@require_POST
def credential_tags(request: HttpRequest, credential_uuid: str) -> HttpResponse:
    """Replace the credential's tags."""
    credential = _owned_top_level(request, credential_uuid)
    form = TagsForm(request.POST)
    if not form.is_valid():
        return _invalid(request, credential, tags_form=form)
    curation_services.set_credential_tags(credential=credential, names=form.cleaned_data["tags"])
    messages.success(request, _("The tags were saved."))
    return redirect(credential)


@login_required
@require_POST
def credential_pin(request: HttpRequest, credential_uuid: str) -> HttpResponse:
    """Pin the credential to the top of the dashboard, or unpin it."""
    credential = _owned_top_level(request, credential_uuid)
    is_pinned = request.POST.get("pinned") == "1"
    curation_services.set_credential_pinned(credential=credential, is_pinned=is_pinned)
    messages.success(
        request, _("Pinned to the top of your wallet.") if is_pinned else _("Unpinned.")
    )
    return redirect(credential)


@login_required
@require_POST
def credential_hide(request: HttpRequest, credential_uuid: str) -> HttpResponse:
    """Hide the credential (naming the share links it drops out of first), or show it again."""
    credential = _owned_top_level(request, credential_uuid)
    is_hidden = request.POST.get("hidden") == "1"
    if is_hidden and request.POST.get("confirm") != "1":
        links = curation_services.share_links_including(credential)
        if links:
            ctx = {"credential": credential, "links": links}
            return render(request, "wallet/credential_hide.html", ctx)
    curation_services.set_credential_hidden(
        credential=credential, is_hidden=is_hidden, actor=request.user
    )
    if is_hidden:
        messages.success(request, _("Hidden: it is out of your dashboard and every share link."))
    else:
        messages.success(request, _("Shown again in your dashboard."))
    return redirect(credential)


@login_required
@require_POST
def credential_collections(request: HttpRequest, credential_uuid: str) -> HttpResponse:
    """Put the credential in exactly the collections ticked."""
    credential = _owned_top_level(request, credential_uuid)
    form = CredentialCollectionsForm(request.POST)
    form.limit_to(collections=Collection.objects.owned_by(request.user))
    if not form.is_valid():
        return _invalid(request, credential, collections_form=form)
    curation_services.set_credential_collections(
        credential=credential, collections=form.cleaned_data["collections"]
    )
    messages.success(request, _("The collections were saved."))
    return redirect(credential)
