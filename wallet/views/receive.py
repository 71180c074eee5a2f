"""Receiving from an issuer: paste (or open) an offer, read who offers what, approve.

And the learner's holder keys, which the issuers bind what they give to.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wallet import holder_keys, receive
from wallet.models import HolderKey
from wallet.receive_forms import AcceptForm, OfferForm

# Query parameters that make an opened link an offer (OID4VCI) or an exchange (deep link).
_OFFER_PARAMETERS = ("credential_offer", "credential_offer_uri")
_EXCHANGE_PARAMETERS = ("request", "vc_request_url")


def _offer_from_link(request: HttpRequest) -> str:
    """The offer an opened link carries in its query, as the wallet would have it pasted."""
    query = request.GET
    if any(name in query for name in _OFFER_PARAMETERS):
        kept = {name: query[name] for name in _OFFER_PARAMETERS if name in query}
        return "openid-credential-offer://?" + urlencode(kept)
    if any(name in query for name in _EXCHANGE_PARAMETERS):
        return request.build_absolute_uri()
    return ""


def _preview(request: HttpRequest, offer: str) -> HttpResponse:
    try:
        summary = receive.summarize_offer(offer=offer, language=get_language() or "en")
    except ValidationError as error:
        form = OfferForm(initial={"offer": offer})
        ctx = {"form": form, "error": " ".join(error.messages)}
        return render(request, "wallet/receive/receive_offer.html", ctx, status=400)
    form = AcceptForm(
        initial={"offer": offer},
        needs_tx_code=summary.needs_tx_code,
        tx_code_length=summary.tx_code_length,
        tx_code_is_numeric=summary.tx_code_is_numeric,
    )
    return render(
        request, "wallet/receive/receive_confirm.html", {"summary": summary, "form": form}
    )


@login_required
def receive_offer(request: HttpRequest) -> HttpResponse:
    """Paste or open an offer; then read it and approve, or go back."""
    if request.method == "POST" and request.POST.get("step") == "accept":
        return _accept(request)
    if request.method == "POST":
        form = OfferForm(request.POST)
        if form.is_valid():
            return _preview(request, form.cleaned_data["offer"])
        return render(request, "wallet/receive/receive_offer.html", {"form": form}, status=400)
    offer = _offer_from_link(request)
    if offer:
        return _preview(request, offer)
    return render(request, "wallet/receive/receive_offer.html", {"form": OfferForm()})


def _accept(request: HttpRequest) -> HttpResponse:
    offer = request.POST.get("offer", "")
    try:
        job, sign_in_address = receive.accept_offer(
            learner=request.user,
            offer=offer,
            tx_code=request.POST.get("tx_code", ""),
            redirect_uri=request.build_absolute_uri(reverse("wallet:receive_callback")),
        )
    except ValidationError as error:
        form = OfferForm(initial={"offer": offer})
        ctx = {"form": form, "error": " ".join(error.messages)}
        return render(request, "wallet/receive/receive_offer.html", ctx, status=400)
    if sign_in_address:
        return HttpResponseRedirect(sign_in_address)
    return redirect("wallet:import_job", job_uuid=job.uuid)


@login_required
def receive_callback(request: HttpRequest) -> HttpResponse:
    """The learner is back from signing in at the issuer: the job takes it from here."""
    try:
        job = receive.finish_sign_in(
            learner=request.user,
            state=request.GET.get("state", ""),
            code=request.GET.get("code", ""),
            error=request.GET.get("error", ""),
        )
    except ValidationError as error:
        form = OfferForm()
        ctx = {"form": form, "error": " ".join(error.messages)}
        return render(request, "wallet/receive/receive_offer.html", ctx, status=400)
    return redirect("wallet:import_job", job_uuid=job.uuid)


@login_required
def holder_key_list(request: HttpRequest) -> HttpResponse:
    """The learner's holder keys: what issuers bind credentials to."""
    keys = HolderKey.objects.owned_by(request.user)
    ctx = {
        "active": list(keys.active()),
        "retired_count": keys.filter(retired_at__isnull=False).count(),
    }
    return render(request, "wallet/receive/holderkey_list.html", ctx)


@login_required
@require_POST
def holder_key_rotate(request: HttpRequest) -> HttpResponse:
    """Retire the learner's keys; new ones are made the next time an issuer asks."""
    retired = holder_keys.rotate_holder_keys(learner=request.user)
    if retired:
        messages.success(
            request,
            _("Your keys were replaced. Credentials you already hold stay yours."),
        )
    return redirect("wallet:holder_key_list")
