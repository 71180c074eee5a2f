from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from credentials.models import Credential
from wallet import selectors, services
from wallet.forms import DashboardForm
from wallet.models import Collection, Skill, Tag

PAGE_SIZE = 24


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The learner's credentials as cards: searched, filtered, sorted, a page at a time."""
    owner = request.user
    wallet = services.ensure_wallet(user=owner)
    skills = list(Skill.objects.owned_by(owner).only("uuid", "name"))
    tags = list(Tag.objects.owned_by(owner).only("name"))
    collections = list(Collection.objects.owned_by(owner).only("uuid", "name"))
    form = DashboardForm(
        request.GET or None,
        issuers=selectors.issuer_names(owner=owner),
        skills=skills,
        tags=tags,
        collections=collections,
    )
    query = selectors.DashboardQuery()
    status = 200
    if form.is_bound:
        if form.is_valid():
            data = form.cleaned_data
            query = selectors.DashboardQuery(
                q=data["q"],
                verdict=data["verdict"],
                issuer=data["issuer"],
                skill=data["skill"],
                tag=data["tag"],
                format=data["format"],
                collection=data["collection"],
                sort=data["sort"] or "date",
                show_hidden=data["hidden"],
            )
        else:
            status = 400
    credentials = selectors.dashboard_credentials(owner=owner, query=query).prefetch_related(
        "curation__tags"
    )
    page = Paginator(credentials, PAGE_SIZE).get_page(request.GET.get("page"))
    changes = list(Credential.objects.owned_by(owner).with_unseen_changes().order_by("name"))
    if changes:
        services.mark_changes_seen(user=owner)
    params = request.GET.copy()
    params.pop("page", None)
    ctx = {
        "wallet": wallet,
        "form": form,
        "page": page,
        "changes": changes,
        "is_filtered": query != selectors.DashboardQuery(sort=query.sort),
        "has_credentials": bool(page.object_list) or Credential.objects.owned_by(owner).exists(),
        "query_string": params.urlencode(),
    }
    return render(request, "wallet/dashboard.html", ctx, status=status)
