"""The learner's account: deleting it, reading its audit history, and the answer when
logging in is rate-limited."""

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from credentials import i18n
from credentials.audit import describe
from credentials.services import record_audit_event
from wallet import services
from wallet.audit import AccountAction
from wallet.forms import AccountDeleteForm
from wallet.selectors import audit_history


@login_required
@reauthentication_required
def account_delete(request: HttpRequest) -> HttpResponse:
    """After re-authentication, confirm, then delete the account and everything in it."""
    form = AccountDeleteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        services.delete_account(user=user)
        messages.success(request, _("Your account and everything in it were deleted."))
        return redirect("wallet:home")
    status = 400 if form.is_bound else 200
    return render(request, "wallet/account_delete.html", {"form": form}, status=status)


@login_required
def account_history(request: HttpRequest) -> HttpResponse:
    """The audit events about the learner's account, newest first."""
    page = Paginator(audit_history(user=request.user), 50).get_page(request.GET.get("page"))
    entries = [(event, describe(event)) for event in page.object_list]
    return render(request, "wallet/account_history.html", {"page": page, "entries": entries})


def too_many_requests(request: HttpRequest) -> HttpResponse:
    """allauth's rate limits answer here (it looks up ROOT_URLCONF.handler429, wired in
    config/urls.py); each one is an audit event."""
    route = request.resolver_match.view_name if request.resolver_match else ""
    record_audit_event(
        action=AccountAction.LOGIN_RATE_LIMITED,
        detail=i18n.gettext("Too many requests to %(route)s") % {"route": route[:100]},
    )
    response = render(request, "429.html", status=429)
    response["Retry-After"] = "300"
    return response
