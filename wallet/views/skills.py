"""Skills: from the credentials' alignments and added by the learner, with their evidence."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from credentials.models import Credential
from wallet import curation_services
from wallet.forms import SkillCredentialsForm, SkillForm
from wallet.models import Skill, SkillSource
from wallet.verdict_tally import tally, verdict_counts


def _evidence_choices(request: HttpRequest):
    # The choices show names only; a wallet can hold a thousand of them.
    return (
        Credential.objects.owned_by(request.user)
        .only("uuid", "name", "issuer_name", "verdict", "owner", "parent")
        .order_by("name")
    )


SKILLS_PER_PAGE = 20


@login_required
def skill_list(request: HttpRequest) -> HttpResponse:
    """Every skill with how many credentials back it and their verdicts; a form to add one."""
    form = SkillForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            skill = curation_services.add_skill(
                owner=request.user,
                name=data["name"],
                framework=data["framework"],
                code=data["code"],
                url=data["url"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("The skill “%(name)s” was saved. Now choose the credentials that show it.")
                % {"name": skill.name},
            )
            return redirect(skill)
    # Every count in the one query that reads the page: a page costs the same whatever
    # the wallet holds.
    skills = (
        Skill.objects.owned_by(request.user)
        .annotate(credential_count=Count("credentials"), **verdict_counts("credentials"))
        .order_by("name", "pk")
    )
    page = Paginator(skills, SKILLS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [(skill, tally(skill)) for skill in page.object_list]
    ctx = {"page": page, "rows": rows, "form": form}
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "wallet/skill_list.html", ctx, status=status)


def _owned_skill(request: HttpRequest, skill_uuid: str) -> Skill:
    return get_object_or_404(Skill.objects.owned_by(request.user), uuid=skill_uuid)


@login_required
def skill_detail(request: HttpRequest, skill_uuid: str) -> HttpResponse:
    """One skill: the credentials behind it and their verdicts; choose its evidence."""
    skill = _owned_skill(request, skill_uuid)
    form = SkillCredentialsForm(
        request.POST if request.method == "POST" else None,
        initial={"credentials": list(skill.credentials.all())},
    )
    form.limit_to(credentials=_evidence_choices(request))
    if request.method == "POST" and form.is_valid():
        curation_services.set_skill_credentials(
            skill=skill, credentials=list(form.cleaned_data["credentials"])
        )
        messages.success(request, _("The credentials behind this skill were saved."))
        return redirect(skill)
    ctx = {
        "skill": skill,
        "credentials": skill.credentials.order_by("name"),
        "form": form,
        "is_removable": skill.source == SkillSource.LEARNER,
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "wallet/skill_detail.html", ctx, status=status)


@login_required
@require_POST
def skill_delete(request: HttpRequest, skill_uuid: str) -> HttpResponse:
    """Remove a skill the learner added."""
    skill = _owned_skill(request, skill_uuid)
    try:
        curation_services.delete_skill(skill=skill)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(skill)
    messages.success(request, _("The skill was removed."))
    return redirect("wallet:skill_list")
