"""The learner's account: deleting it, and reading its audit history."""

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from wallet import history, services
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
    entries = [(event, history.describe(event)) for event in page.object_list]
    return render(request, "wallet/account_history.html", {"page": page, "entries": entries})
