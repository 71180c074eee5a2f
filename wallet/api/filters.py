"""The credentials list's search and filters: the dashboard's, through its selector."""

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from credentials.models import FORMAT_CHOICES, Credential
from credentials.verification.verdict import Verdict
from wallet import selectors

SORT_CHOICES = [("date", "date"), ("name", "name"), ("issuer", "issuer")]


class CredentialFilter(django_filters.FilterSet):
    """Validates the query string; the dashboard's selector does the filtering."""

    q = django_filters.CharFilter(
        max_length=200,
        help_text=_("Words to find in names, issuers, skills, tags and notes (accents ignored)."),
    )
    verdict = django_filters.ChoiceFilter(choices=Verdict.choices)
    issuer = django_filters.CharFilter(max_length=500, help_text=_("The exact issuer name."))
    format = django_filters.ChoiceFilter(choices=FORMAT_CHOICES)
    tag = django_filters.CharFilter(max_length=60, help_text=_("A tag name."))
    skill = django_filters.UUIDFilter(help_text=_("A skill's UUID."))
    collection = django_filters.UUIDFilter(help_text=_("A collection's UUID."))
    hidden = django_filters.BooleanFilter(help_text=_("Include hidden credentials."))
    sort = django_filters.ChoiceFilter(
        choices=SORT_CHOICES, help_text=_("Pinned first, then by date (default), name or issuer.")
    )

    class Meta:
        model = Credential
        fields: list[str] = []

    def filter_queryset(self, queryset: QuerySet[Credential]) -> QuerySet[Credential]:
        """The learner's credentials exactly as the dashboard would show them."""
        data = self.form.cleaned_data
        query = selectors.DashboardQuery(
            q=data.get("q") or "",
            verdict=data.get("verdict") or "",
            issuer=data.get("issuer") or "",
            skill=str(data["skill"]) if data.get("skill") else "",
            tag=data.get("tag") or "",
            format=data.get("format") or "",
            collection=str(data["collection"]) if data.get("collection") else "",
            sort=data.get("sort") or "date",
            show_hidden=bool(data.get("hidden")),
        )
        return selectors.dashboard_credentials(owner=self.request.user, query=query)
