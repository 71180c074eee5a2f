import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from credentials import services as credential_services
from credentials.models import Credential, CredentialSource, ImportJob
from wallet import curation_services, imports
from wallet.credential_actions import CREDENTIAL_ACTIONS, actions_on
from wallet.forms import (
    CredentialCollectionsForm,
    NotesForm,
    PasteForm,
    SelfReportedForm,
    TagsForm,
    UploadForm,
    UrlForm,
)
from wallet.import_messages import report_imported
from wallet.models import Collection, Curation
from wallet.presentation import skill_rows
from wallet.readable import readable_html

IMPORT_FORMS = {
    "upload": UploadForm,
    "paste": PasteForm,
    "url": UrlForm,
    "self": SelfReportedForm,
}


@login_required
def credential_import(request: HttpRequest) -> HttpResponse:
    """One page, four ways in: a file, pasted text, a web address, or by hand."""
    active = request.POST.get("source", "") if request.method == "POST" else ""
    forms = {
        key: form_class(request.POST, request.FILES, prefix=key)
        if key == active
        else form_class(prefix=key)
        for key, form_class in IMPORT_FORMS.items()
    }
    if active in forms:
        form = forms[active]
        if form.is_valid():
            try:
                return _import(request, active, form)
            except credential_services.DuplicateCredential as exc:
                messages.info(request, exc.messages[0])
                return redirect(exc.existing)
            except ValidationError as exc:
                form.add_error(None, exc)
    ctx = {"forms": forms, "active": active or "upload"}
    status = 400 if active in forms else 200
    return render(request, "wallet/credential_import.html", ctx, status=status)


def _import(request: HttpRequest, source: str, form) -> HttpResponse:
    data = form.cleaned_data
    if source == "url":
        job = imports.request_url_import(learner=request.user, url=data["url"])
        return redirect("wallet:import_job", job_uuid=job.uuid)
    if source == "self":
        credential = imports.add_self_reported(
            learner=request.user,
            title=data["title"],
            description=data["description"],
            achieved_on=data["achieved_on"],
            evidence_url=data["evidence_url"],
            evidence_file=data["evidence_file"],
        )
        messages.success(request, _("Your self-reported learning was added."))
        return redirect(credential)
    if source == "upload":
        upload = data["file"]
        raw, filename, kind = upload.read(), upload.name, CredentialSource.UPLOAD
    else:
        raw, filename, kind = data["text"].encode(), "", CredentialSource.PASTE
    outcome = imports.import_credentials_for(
        learner=request.user, data=raw, source=kind, filename=filename
    )
    for skipped in outcome.duplicates:
        messages.info(
            request, _("Already in your wallet, skipped: “%(name)s”.") % {"name": skipped.name}
        )
    for copy in outcome.failed_copies:
        messages.warning(
            request,
            _(
                "You also hold a copy of “%(name)s” that failed verification; "
                "you can delete it from its page."
            )
            % {"name": copy.name},
        )
    report_imported(request, outcome.created)
    if len(outcome.created) == 1:
        return redirect(outcome.created[0])
    return redirect("wallet:dashboard")


@login_required
def import_job(request: HttpRequest, job_uuid: str) -> HttpResponse:
    """A URL import's progress; the page refreshes itself until the job is done."""
    job = get_object_or_404(ImportJob.objects.filter(owner=request.user), uuid=job_uuid)
    created = list(job.credentials.all()) if job.is_done else []
    if len(created) == 1:
        report_imported(request, created)
        return redirect(created[0])
    return render(request, "wallet/importjob_detail.html", {"job": job, "created": created})


def _owned_credential(request: HttpRequest, credential_uuid: str) -> Credential:
    return get_object_or_404(
        Credential.objects.owned_by(request.user).select_related("parent"), uuid=credential_uuid
    )


@login_required
def credential_detail(request: HttpRequest, credential_uuid: str) -> HttpResponse:
    """Everything about one credential: its view, every check, its original."""
    credential = _owned_credential(request, credential_uuid)
    ctx = credential_page_context(credential)
    if credential.parent_id is None:
        ctx.update(curation_context(request, credential))
        # None hides the share card: no app registered an action on a credential.
        ctx["credential_actions"] = actions_on(credential) if CREDENTIAL_ACTIONS else None
    return render(request, "wallet/credential_detail.html", ctx)


def credential_page_context(credential: Credential) -> dict[str, object]:
    """What the credential page shows of the credential itself (its forms come apart)."""
    skills = list(credential.skills.order_by("name"))
    return {
        "credential": credential,
        "view": credential.normalized,
        "children": credential.children.order_by("position"),
        "skills": skills,
        "skill_rows": skill_rows(credential.normalized, skills),
        "now": timezone.now(),
    }


def curation_context(
    request: HttpRequest, credential: Credential, **bound: object
) -> dict[str, object]:
    """The credential page's curation forms, unbound unless one is passed in `bound`."""
    curation = Curation.objects.filter(credential=credential).first() or Curation()
    tags = [tag.name for tag in curation.tags.all()] if curation.pk else []
    collections = Collection.objects.owned_by(request.user)
    collections_form = CredentialCollectionsForm(
        initial={"collections": list(collections.filter(items__credential=credential))}
    )
    collections_form.limit_to(collections=collections)
    forms = {
        "notes_form": NotesForm(
            initial={"note": curation.note, "public_description": curation.public_description}
        ),
        "tags_form": TagsForm(initial={"tags": ", ".join(tags)}),
        "collections_form": collections_form,
    }
    forms.update(bound)
    return {"curation": curation, "tags": tags, "has_collections": collections.exists(), **forms}


@login_required
def credential_original(request: HttpRequest, credential_uuid: str) -> FileResponse:
    """The original bytes, exactly as imported, as a download that is never rendered."""
    credential = _owned_credential(request, credential_uuid)
    if not credential.original:
        raise Http404
    response = FileResponse(
        credential.original.open("rb"),
        as_attachment=True,
        filename=credential.original_name,
        content_type=credential.original_content_type or "application/octet-stream",
    )
    _sandbox(response)
    return response


@login_required
def credential_image(request: HttpRequest, credential_uuid: str) -> FileResponse:
    """The stored, re-encoded badge image."""
    credential = _owned_credential(request, credential_uuid)
    if not credential.image:
        raise Http404
    response = FileResponse(credential.image.open("rb"), content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    _sandbox(response)
    return response


@login_required
def credential_evidence(request: HttpRequest, credential_uuid: str) -> FileResponse:
    """A self-reported entry's evidence file, as a download."""
    credential = _owned_credential(request, credential_uuid)
    if not credential.evidence_file:
        raise Http404
    response = FileResponse(credential.evidence_file.open("rb"), as_attachment=True)
    response["Content-Type"] = "application/octet-stream"
    _sandbox(response)
    return response


def _sandbox(response: HttpResponse) -> None:
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"


@login_required
@require_POST
def credential_reverify(request: HttpRequest, credential_uuid: str) -> HttpResponse:
    """Verify a credential again now."""
    credential = _owned_credential(request, credential_uuid)
    try:
        credential = credential_services.reverify_credential(
            credential=credential, actor=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if credential.recheck_failed_at:
            messages.warning(
                request,
                _("The check could not run; the previous result is kept: %(verdict)s.")
                % {"verdict": credential.get_verdict_display()},
            )
            return redirect(credential)
        messages.success(
            request,
            _("Verified again: %(verdict)s.") % {"verdict": credential.get_verdict_display()},
        )
    return redirect(credential)


@login_required
def credential_delete(request: HttpRequest, credential_uuid: str) -> HttpResponse:
    """Confirm, then delete a credential and its files."""
    credential = _owned_credential(request, credential_uuid)
    if credential.parent_id:
        raise Http404
    if request.method == "POST":
        curation_services.remove_credential(credential=credential, actor=request.user)
        messages.success(request, _("“%(name)s” was deleted.") % {"name": credential.name})
        return redirect("wallet:dashboard")
    ctx = {
        "credential": credential,
        "links": curation_services.share_links_including(credential),
    }
    return render(request, "wallet/credential_delete.html", ctx)


@login_required
def credential_json(request: HttpRequest, credential_uuid: str) -> HttpResponse:
    """The credential's data and normalized view, folded for reading; `?download` gives the
    raw JSON of the credential as issued."""
    credential = _owned_credential(request, credential_uuid)
    if "download" in request.GET:
        response = HttpResponse(
            json.dumps(credential.document, indent=2, ensure_ascii=False),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{credential.uuid}.json"'
        _sandbox(response)
        return response
    ctx = {
        "credential": credential,
        "normalized_html": readable_html(credential.normalized),
        "document_html": readable_html(credential.document),
    }
    return render(request, "wallet/credential_json.html", ctx)
