"""The employer's side of a share link: no account, only the token in the address."""

import json
import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from credentials.clients import client_address
from credentials.models import JobStatus
from sharing import services
from sharing.content import learner_name, presentation, shared_content, shown_credential
from sharing.forms import PasscodeForm
from sharing.listing import shared_listing
from sharing.models import ShareLink, Transcript
from sharing.qr import qr_png, qr_svg
from sharing.tokens import hash_token
from sharing.views.learner import transcript_response

JSON_TYPES = ("application/json", "application/ld+json")
SESSION_PREFIX = "share-unlocked:"

View = Callable[..., HttpResponse]


def share_headers(view: View) -> View:
    """No referrer leaves the site, no robot indexes, no cache keeps what a passcode guards."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            response = render(request, "404.html", status=404)
        # same-origin, not no-referrer: with no-referrer browsers send `Origin: null`
        # on the passcode POST and the CSRF check refuses it.
        response["Referrer-Policy"] = "same-origin"
        response["X-Robots-Tag"] = "noindex, nofollow, noarchive"
        response.setdefault("Cache-Control", "private, no-store")
        return response

    return wrapped


class Gone(Exception):
    """The link was revoked or expired."""


def _link_for(token: str) -> ShareLink:
    links = ShareLink.objects.select_related("owner__wallet")
    link = links.filter(token_hash=hash_token(token)).first()
    if link is None:
        raise Http404
    # A disabled account's links close with it.
    if not link.is_active or not link.owner.is_active:
        raise Gone
    return link


def _gone(request: HttpRequest) -> HttpResponse:
    if request.path.endswith(".json") or _wants_json(request):
        message = _("This link is no longer available.")
        return JsonResponse({"error": "gone", "message": message}, status=410)
    return render(request, "410.html", status=410)


def _is_owner(request: HttpRequest, link: ShareLink) -> bool:
    return request.user.is_authenticated and request.user.pk == link.owner_id


def _is_unlocked(request: HttpRequest, link: ShareLink) -> bool:
    if not link.has_passcode or _is_owner(request, link):
        return True
    return request.session.get(f"{SESSION_PREFIX}{link.uuid}") == services.unlock_marker(link)


def _wants_json(request: HttpRequest) -> bool:
    preferred = request.get_preferred_type(["text/html", *JSON_TYPES])
    return preferred in JSON_TYPES


@share_headers
@require_http_methods(["GET", "HEAD", "POST"])
def public_page(request: HttpRequest, token: str) -> HttpResponse:
    """The employer's page, behind the passcode when the link has one."""
    try:
        link = _link_for(token)
    except Gone:
        return _gone(request)
    if request.method == "POST":
        return _passcode_attempt(request, link, token)
    if not _is_unlocked(request, link):
        if _wants_json(request):
            return _json_locked()
        return _passcode_page(request, link, PasscodeForm())
    if _wants_json(request):
        response = _json_response(link)
        response["Vary"] = "Accept"
        return response
    wallet = getattr(link.owner, "wallet", None)
    listing = shared_listing(
        link, token=token, revision=wallet.content_revision if wallet else None
    )
    queued = services.queue_stale_reverifications(verified=listing.verified)
    is_owner = _is_owner(request, link)
    if not is_owner:
        services.record_share_view(link=link)
    ctx = {
        "link": link,
        "learner_name": learner_name(link, wallet),
        "headline": wallet.headline if wallet else "",
        "listing": listing.html,
        "token": token,
        "share_url": link.public_url(),
        "recheck_queued": bool(queued),
        "is_owner": is_owner,
    }
    response = render(request, "sharing/public_page.html", ctx)
    response["Vary"] = "Accept, Cookie"
    return response


def _passcode_page(
    request: HttpRequest, link: ShareLink, form: PasscodeForm, status: int = 200
) -> HttpResponse:
    return render(request, "sharing/public_passcode.html", {"form": form}, status=status)


def _passcode_attempt(request: HttpRequest, link: ShareLink, token: str) -> HttpResponse:
    if not link.has_passcode:
        return redirect("sharing:public_page", token=token)
    form = PasscodeForm(request.POST)
    if not form.is_valid():
        return _passcode_page(request, link, form, status=400)
    try:
        is_right = services.check_passcode(
            link=link,
            passcode=form.cleaned_data["passcode"],
            client=services.client_key(client_address(request)),
        )
    except services.PasscodeLocked as locked:
        wait = locked.retry_after
        ctx = {"retry_seconds": wait} if wait < 60 else {"retry_minutes": -(-wait // 60)}
        response = render(request, "429.html", ctx, status=429)
        response["Retry-After"] = str(locked.retry_after)
        return response
    if not is_right:
        form.add_error("passcode", _("That passcode is not right. Check it and try again."))
        return _passcode_page(request, link, form, status=403)
    request.session.cycle_key()
    request.session[f"{SESSION_PREFIX}{link.uuid}"] = services.unlock_marker(link)
    return redirect("sharing:public_page", token=token)


def _json_locked() -> JsonResponse:
    return JsonResponse(
        {"error": "passcode_required", "message": _("Open the link and type the passcode first.")},
        status=403,
    )


def _json_response(link: ShareLink) -> HttpResponse:
    if not link.allow_download:
        return JsonResponse(
            {"error": "not_offered", "message": _("This link does not offer a download.")},
            status=404,
        )
    document = presentation(shared_content(link, documents=True), share_url=link.public_url())
    body = json.dumps(document, ensure_ascii=False, indent=2)
    return HttpResponse(body, content_type="application/json; charset=utf-8")


@share_headers
@require_GET
def public_json(request: HttpRequest, token: str) -> HttpResponse:
    """The shared originals for software: a presentation of VCs, OB 2.0 as they are."""
    try:
        link = _link_for(token)
    except Gone:
        return _gone(request)
    if not _is_unlocked(request, link):
        return _json_locked()
    response = _json_response(link)
    if response.status_code == 200:
        response["Content-Disposition"] = 'inline; filename="credentials.json"'
    return response


def _qr(request: HttpRequest, token: str, *, kind: str) -> HttpResponse:
    try:
        link = _link_for(token)
    except Gone:
        return _gone(request)
    # The code holds only the address the caller already has: no passcode needed.
    url = settings.SITE_URL + reverse("sharing:public_page", kwargs={"token": token})
    if kind == "svg":
        response = HttpResponse(qr_svg(url), content_type="image/svg+xml")
        response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    else:
        response = HttpResponse(qr_png(url, box_size=16), content_type="image/png")
    if request.GET.get("download") == "1":
        # A locked link reveals nothing but that it exists, its title included.
        title = link.title if _is_unlocked(request, link) else ""
        filename = f"{_safe_name(title)}-qr.{kind}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _safe_name(title: str) -> str:
    cleaned = "".join(ch if ch.isascii() and ch.isalnum() else "-" for ch in title.lower())
    return "-".join(part for part in cleaned.split("-") if part)[:40] or "share-link"


@share_headers
@require_GET
def public_qr_svg(request: HttpRequest, token: str) -> HttpResponse:
    """The page's QR code as SVG, for the page itself and for print."""
    return _qr(request, token, kind="svg")


@share_headers
@require_GET
def public_qr_png(request: HttpRequest, token: str) -> HttpResponse:
    """The page's QR code as a large PNG, for print."""
    return _qr(request, token, kind="png")


@share_headers
@require_GET
def public_transcript(request: HttpRequest, token: str) -> HttpResponse:
    """The PDF transcript when it is current; otherwise ask for it and say it is coming."""
    try:
        link = _link_for(token)
    except Gone:
        return _gone(request)
    if not link.allow_transcript:
        raise Http404
    if not _is_unlocked(request, link):
        return redirect("sharing:public_page", token=token)
    transcript = services.current_transcript(link=link)
    if transcript is None:
        services.request_transcript(link=link)
        # In-process tasks (no broker) have already rendered it by now.
        transcript = services.current_transcript(link=link)
    if transcript is not None:
        return transcript_response(transcript)
    row = Transcript.objects.filter(link=link).first()
    ctx = {"token": token, "link": link, "transcript": row}
    status = 503 if row is not None and row.status == JobStatus.FAILED else 202
    response = render(request, "sharing/public_transcript.html", ctx, status=status)
    if status == 503:
        response["Retry-After"] = "30"
    return response


@share_headers
@require_GET
def public_image(request: HttpRequest, token: str, credential_uuid: str) -> HttpResponse:
    """A shown credential's badge image; nothing the link does not show."""
    try:
        link = _link_for(token)
    except Gone:
        return _gone(request)
    if not _is_unlocked(request, link):
        raise Http404
    try:
        wanted = uuid.UUID(credential_uuid)
    except ValueError:
        raise Http404 from None
    credential = shown_credential(link, wanted)
    if credential is None or not credential.image:
        raise Http404
    response = FileResponse(credential.image.open("rb"), content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
