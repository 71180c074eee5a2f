"""Collections: named, described, ordered groups of the learner's credentials."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from credentials.models import Credential
from wallet import curation_services
from wallet.collection_actions import actions_on
from wallet.forms import CollectionAddForm, CollectionForm, MoveForm
from wallet.models import Collection


def _owned_collection(request: HttpRequest, collection_uuid: str) -> Collection:
    return get_object_or_404(Collection.objects.owned_by(request.user), uuid=collection_uuid)


@login_required
def collection_list(request: HttpRequest) -> HttpResponse:
    """The learner's collections, and a form to start one."""
    form = CollectionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            collection = curation_services.create_collection(
                owner=request.user,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The collection was created; now add credentials."))
            return redirect(collection)
    collections = Collection.objects.owned_by(request.user).annotate(size=Count("items"))
    ctx = {"collections": collections, "form": form}
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "wallet/collection_list.html", ctx, status=status)


def _detail(
    request: HttpRequest,
    collection: Collection,
    *,
    edit_form: CollectionForm | None = None,
    add_form: CollectionAddForm | None = None,
    status: int = 200,
) -> HttpResponse:
    items = list(collection.items.select_related("credential").order_by("position", "id"))
    held = [item.credential_id for item in items]
    candidates = Credential.objects.owned_by(request.user).top_level().exclude(pk__in=held)
    if add_form is None:
        add_form = CollectionAddForm()
    # The choices show names, issuers and verdicts only; a wallet can hold a thousand.
    choices = candidates.only("uuid", "name", "issuer_name", "verdict", "owner", "parent").order_by(
        "name"
    )
    add_form.limit_to(credentials=choices)
    ctx = {
        "collection": collection,
        "items": items,
        "edit_form": edit_form
        or CollectionForm(initial={"name": collection.name, "description": collection.description}),
        "add_form": add_form,
        "has_candidates": candidates.exists(),
        "collection_actions": actions_on(collection),
    }
    return render(request, "wallet/collection_detail.html", ctx, status=status)


@login_required
def collection_detail(request: HttpRequest, collection_uuid: str) -> HttpResponse:
    """One collection: its credentials in order, with buttons to move them."""
    return _detail(request, _owned_collection(request, collection_uuid))


@login_required
@require_POST
def collection_edit(request: HttpRequest, collection_uuid: str) -> HttpResponse:
    """Rename a collection or change its description."""
    collection = _owned_collection(request, collection_uuid)
    form = CollectionForm(request.POST)
    if form.is_valid():
        try:
            curation_services.update_collection(
                collection=collection,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The collection was saved."))
            return redirect(collection)
    collection.refresh_from_db()
    return _detail(request, collection, edit_form=form, status=400)


@login_required
@require_POST
def collection_add(request: HttpRequest, collection_uuid: str) -> HttpResponse:
    """Add credentials to the end of a collection."""
    collection = _owned_collection(request, collection_uuid)
    form = CollectionAddForm(request.POST)
    form.limit_to(credentials=Credential.objects.owned_by(request.user).top_level())
    if not form.is_valid():
        return _detail(request, collection, add_form=form, status=400)
    count = curation_services.add_to_collection(
        collection=collection, credentials=form.cleaned_data["credentials"].order_by("name")
    )
    messages.success(
        request,
        ngettext("%(count)d credential added.", "%(count)d credentials added.", count)
        % {"count": count},
    )
    return redirect(collection)


def _item_credential(request: HttpRequest, collection: Collection, credential_uuid: str):
    return get_object_or_404(
        Credential.objects.owned_by(request.user).filter(collection_items__collection=collection),
        uuid=credential_uuid,
    )


@login_required
@require_POST
def collection_move(
    request: HttpRequest, collection_uuid: str, credential_uuid: str
) -> HttpResponse:
    """Move a credential one place up or down (buttons work with the keyboard, without JS)."""
    collection = _owned_collection(request, collection_uuid)
    credential = _item_credential(request, collection, credential_uuid)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to move the credential up or down."))
        return redirect(collection)
    offset = -1 if form.cleaned_data["direction"] == "up" else 1
    curation_services.move_collection_item(
        collection=collection, credential=credential, offset=offset
    )
    messages.success(request, _("“%(name)s” moved.") % {"name": credential.name})
    return redirect(f"{collection.get_absolute_url()}#item-{credential.uuid}")


@login_required
@require_POST
def collection_remove(
    request: HttpRequest, collection_uuid: str, credential_uuid: str
) -> HttpResponse:
    """Take a credential out of the collection; it stays in the wallet."""
    collection = _owned_collection(request, collection_uuid)
    credential = _item_credential(request, collection, credential_uuid)
    curation_services.remove_from_collection(collection=collection, credential=credential)
    messages.success(
        request, _("“%(name)s” was taken out of the collection.") % {"name": credential.name}
    )
    return redirect(collection)


@login_required
def collection_delete(request: HttpRequest, collection_uuid: str) -> HttpResponse:
    """Confirm, then delete a collection (its credentials stay in the wallet)."""
    collection = _owned_collection(request, collection_uuid)
    if request.method == "POST":
        curation_services.delete_collection(collection=collection)
        messages.success(request, _("The collection was deleted."))
        return redirect("wallet:collection_list")
    return render(request, "wallet/collection_delete.html", {"collection": collection})
