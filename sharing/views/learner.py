"""The learner's pages: their links, each link's controls, transcript and LinkedIn."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from credentials.models import Credential, JobStatus
from sharing import services
from sharing.content import learner_name, shared_content
from sharing.forms import ExtendForm, LinkedInForm, ShareLinkForm
from sharing.models import ShareLink, ShareLinkDay, Transcript
from sharing.qr import qr_svg

HISTOGRAM_DAYS = 30


def _owned_link(request: HttpRequest, link_uuid: str) -> ShareLink:
    return get_object_or_404(ShareLink.objects.owned_by(request.user), uuid=link_uuid)


def _form_error(form: ShareLinkForm, exc: ValidationError) -> None:
    for message in exc.messages:
        form.add_error(None, message)


@login_required
def link_list(request: HttpRequest) -> HttpResponse:
    """All the learner's links with their state, views and expiry."""
    links = ShareLink.objects.owned_by(request.user).order_by("-created_at")
    return render(request, "sharing/sharelink_list.html", {"links": links})


@login_required
def link_create(request: HttpRequest) -> HttpResponse:
    """Choose what to share, for how long and how."""
    if request.method == "POST":
        form = ShareLinkForm(request.POST, owner=request.user)
        if form.is_valid():
            try:
                link = services.create_share_link(
                    owner=request.user,
                    title=form.cleaned_data["title"],
                    message=form.cleaned_data["message"],
                    selection=form.selection(),
                    expires_at=form.expires_at(),
                    passcode=form.cleaned_data["passcode"],
                    options=form.options(),
                    withheld=form.disclosure.withheld(form.selection()),
                )
            except ValidationError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("Your link is ready. Copy it and send it."))
                return redirect(link)
        status = 400
    else:
        # The transcript reads, by default, in the language the learner uses.
        initial = {"language": translation.get_language()}
        # From a credential's or a collection's page. Only the learner's own are choices,
        # so anyone else's uuid (or a malformed one) is simply not ticked.
        for parameter, field in [("credential", "credentials"), ("collection", "collections")]:
            preselected = request.GET.get(parameter, "")
            if preselected:
                initial[field] = [preselected]
        form = ShareLinkForm(owner=request.user, initial=initial)
        status = 200
    ctx = {"form": form, "link": None}
    return render(request, "sharing/sharelink_form.html", ctx, status=status)


@login_required
def link_detail(request: HttpRequest, link_uuid: str) -> HttpResponse:
    """One link: its address, QR code, what it shows now, views and controls."""
    link = _owned_link(request, link_uuid)
    today = timezone.now().date()
    days = {
        row.day: row.views
        for row in ShareLinkDay.objects.filter(
            link=link, day__gt=today - timedelta(days=HISTOGRAM_DAYS)
        )
    }
    histogram = [
        (day, days.get(day, 0))
        for day in (today - timedelta(days=offset) for offset in range(HISTOGRAM_DAYS))
    ]
    ctx = {
        "link": link,
        "share_url": link.public_url(),
        "content": shared_content(link),
        "histogram": histogram,
        "histogram_max": max([views for _day, views in histogram] + [1]),
        "recent_views": sum(views for _day, views in histogram),
        "week_views": ShareLinkDay.objects.filter(
            link=link, day__gt=today - timedelta(days=7)
        ).aggregate(total=Sum("views"))["total"]
        or 0,
        "transcript": Transcript.objects.filter(link=link).first(),
        "extend_form": ExtendForm(link=link),
    }
    return render(request, "sharing/sharelink_detail.html", ctx)


@login_required
def link_edit(request: HttpRequest, link_uuid: str) -> HttpResponse:
    """Change what a link shows and how; the employer's page follows."""
    link = _owned_link(request, link_uuid)
    if link.is_revoked:
        messages.error(request, _("This link has been revoked. Make a new link instead."))
        return redirect(link)
    if request.method == "POST":
        form = ShareLinkForm(request.POST, owner=request.user, link=link)
        if form.is_valid():
            try:
                services.update_share_link(
                    link=link,
                    actor=request.user,
                    title=form.cleaned_data["title"],
                    message=form.cleaned_data["message"],
                    selection=form.selection(),
                    expires_at=form.expires_at(),
                    passcode=form.cleaned_data["passcode"],
                    remove_passcode=bool(form.cleaned_data.get("remove_passcode")),
                    options=form.options(),
                    withheld=form.disclosure.withheld(form.selection()),
                )
            except ValidationError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("Saved. The link shows your changes now."))
                return redirect(link)
        status = 400
    else:
        form = ShareLinkForm(owner=request.user, link=link)
        status = 200
    return render(
        request, "sharing/sharelink_form.html", {"form": form, "link": link}, status=status
    )


@login_required
def link_revoke(request: HttpRequest, link_uuid: str) -> HttpResponse:
    """Confirm, then stop the link at once."""
    link = _owned_link(request, link_uuid)
    if request.method == "POST":
        services.revoke_share_link(link=link, actor=request.user)
        messages.success(request, _("The link is revoked: it no longer opens."))
        return redirect(link)
    return render(request, "sharing/sharelink_revoke.html", {"link": link})


@login_required
@require_POST
def link_extend(request: HttpRequest, link_uuid: str) -> HttpResponse:
    """Set a new expiry for the link."""
    link = _owned_link(request, link_uuid)
    form = ExtendForm(request.POST, link=link)
    if form.is_valid():
        try:
            services.extend_share_link(link=link, actor=request.user, expires_at=form.expires_at())
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The link's expiry is changed."))
            return redirect(link)
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(link)


@login_required
@require_POST
def link_regenerate(request: HttpRequest, link_uuid: str) -> HttpResponse:
    """Give the link a new address; the old one stops working."""
    link = _owned_link(request, link_uuid)
    try:
        services.regenerate_share_link(link=link, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The link has a new address. The old one no longer works."))
    return redirect(link)


@login_required
def link_transcript(request: HttpRequest, link_uuid: str) -> HttpResponse:
    """Ask for the PDF transcript (POST) and follow its progress (GET)."""
    link = _owned_link(request, link_uuid)
    if request.method == "POST":
        try:
            services.request_transcript(link=link)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(link)
        return redirect("sharing:link_transcript", link_uuid=link.uuid)
    transcript = Transcript.objects.filter(link=link).first()
    current = services.current_transcript(link=link)
    is_outdated = (
        transcript is not None and transcript.status == JobStatus.READY and current is None
    )
    ctx = {"link": link, "transcript": transcript, "current": current, "is_outdated": is_outdated}
    return render(request, "sharing/transcript_detail.html", ctx)


def transcript_filename(link: ShareLink) -> str:
    """'ada-lovelace-releve.pdf': whose transcript, named in the transcript's language."""
    with translation.override(link.language):
        words = _("%(name)s transcript") % {
            "name": learner_name(link, getattr(link.owner, "wallet", None))
        }
    return f"{slugify(words)[:80].strip('-') or 'transcript'}.pdf"


@login_required
def link_transcript_pdf(request: HttpRequest, link_uuid: str) -> HttpResponse:
    """The learner's own download of the current transcript."""
    link = _owned_link(request, link_uuid)
    transcript = services.current_transcript(link=link)
    if transcript is None:
        return redirect("sharing:link_transcript", link_uuid=link.uuid)
    return transcript_response(transcript)


def transcript_response(transcript: Transcript) -> FileResponse:
    response = FileResponse(
        transcript.file.open("rb"),
        as_attachment=True,
        filename=transcript_filename(transcript.link),
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def link_qr_svg(request: HttpRequest, link_uuid: str) -> HttpResponse:
    """The link's QR code for the learner's page, whatever the link's state."""
    link = _owned_link(request, link_uuid)
    url = link.public_url()
    if not url:
        raise Http404
    response = HttpResponse(qr_svg(url), content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


@login_required
def linkedin_create(request: HttpRequest, credential_uuid: str) -> HttpResponse:
    """Confirm, then make a dedicated link for one credential on a LinkedIn profile."""
    credential = get_object_or_404(
        Credential.objects.owned_by(request.user).top_level().exclude(curation__is_hidden=True),
        uuid=credential_uuid,
    )
    if credential.is_recipient_mismatch:
        messages.error(request, services.not_shareable_message(credential))
        return redirect(credential)
    if request.method == "POST":
        form = LinkedInForm(request.POST)
        if form.is_valid():
            link = services.create_linkedin_link(
                owner=request.user, credential=credential, expires_at=form.expires_at()
            )
            return redirect("sharing:link_linkedin", link_uuid=link.uuid)
        status = 400
    else:
        form = LinkedInForm()
        status = 200
    ctx = {"credential": credential, "form": form}
    return render(request, "sharing/linkedin_confirm.html", ctx, status=status)


@login_required
def link_linkedin(request: HttpRequest, link_uuid: str) -> HttpResponse:
    """The step that opens LinkedIn's add-to-profile page, filled in."""
    link = _owned_link(request, link_uuid)
    credential = link.credentials.shareable().first()
    if not link.is_linkedin or credential is None:
        raise Http404
    ctx = {
        "link": link,
        "credential": credential,
        "linkedin_url": services.linkedin_add_url(link=link, credential=credential),
    }
    return render(request, "sharing/linkedin_open.html", ctx)
