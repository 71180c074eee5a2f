"""Read-only queries behind the wallet's pages."""

from dataclasses import dataclass

from django.db.models import BooleanField, F, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Lower

from credentials.models import AuditEvent, Credential
from wallet.models import CollectionItem, Curation, User
from wallet.search import fold

SORTS = {
    "date": [F("issued_at").desc(nulls_last=True), "-created_at", "-pk"],
    "name": [Lower("name"), "pk"],
    "issuer": [Lower("issuer_name"), Lower("name"), "pk"],
}


@dataclass(frozen=True)
class DashboardQuery:
    """What the learner asked the dashboard for, already validated by its form."""

    q: str = ""
    verdict: str = ""
    issuer: str = ""
    skill: str = ""
    tag: str = ""
    format: str = ""
    collection: str = ""
    sort: str = "date"
    show_hidden: bool = False


def dashboard_credentials(*, owner: User, query: DashboardQuery) -> QuerySet[Credential]:
    """The learner's top-level credentials for the dashboard: filtered, pinned first, sorted."""
    credentials = (
        Credential.objects.owned_by(owner)
        .top_level()
        .select_related("curation")
        .annotate(
            pinned=Coalesce(F("curation__is_pinned"), Value(False), output_field=BooleanField())
        )
    )
    if not query.show_hidden:
        credentials = credentials.filter(Q(curation__isnull=True) | Q(curation__is_hidden=False))
    if query.q:
        for word in fold(query.q).split()[:10]:
            credentials = credentials.filter(search_entry__text__icontains=word)
    if query.verdict:
        credentials = credentials.filter(verdict=query.verdict)
    if query.issuer:
        credentials = credentials.filter(issuer_name=query.issuer)
    if query.format:
        credentials = credentials.filter(format=query.format)
    if query.tag:
        credentials = credentials.filter(curation__tags__name=query.tag)
    if query.collection:
        credentials = credentials.filter(collection_items__collection__uuid=query.collection)
    if query.skill:
        # A CLR is found by the skills of the achievements inside it too.
        backed = Credential.objects.filter(owner=owner, skills__uuid=query.skill).values(
            top=Coalesce("parent_id", "id")
        )
        credentials = credentials.filter(pk__in=backed)
    order = SORTS.get(query.sort, SORTS["date"])
    return credentials.order_by(F("pinned").desc(), *order)


def issuer_names(*, owner: User) -> list[str]:
    """The distinct issuer names in the learner's wallet, for the issuer filter."""
    return list(
        Credential.objects.owned_by(owner)
        .top_level()
        .exclude(issuer_name="")
        .order_by("issuer_name")
        .values_list("issuer_name", flat=True)
        .distinct()
    )


def audit_history(*, user: User) -> QuerySet[AuditEvent]:
    """The audit events about this learner: what they did, and what was done to their account."""
    return AuditEvent.objects.about(user).order_by("-created_at", "-id")


def learner_work_on(credential: Credential) -> int:
    """How much the learner added to a credential: a note, a public description, tags,
    collections (the apps above count their own work, such as links)."""
    curation = Curation.objects.filter(credential=credential).first()
    work = CollectionItem.objects.filter(credential=credential).count()
    if curation is not None:
        work += bool(curation.note) + bool(curation.public_description)
        work += curation.tags.count()
    return work
