"""Collections and skills through the API, each change through the wallet's services."""

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response

from credentials.api.base import WRITE_ERRORS, ApiView, Pagination, errors, resolve_owned
from credentials.models import Credential
from wallet import curation_services
from wallet.api import serializers as s
from wallet.models import Collection, Skill

COLLECTIONS = "Collections"
SKILLS = "Skills"
CHANGE_ERRORS = errors(*WRITE_ERRORS, 422)

COLLECTION_EXAMPLE = {
    "uuid": "5a0c2d1e-7f3b-4c8a-9e6d-2b1f0a9c8d7e",
    "name": "Data skills",
    "description": "For analyst roles.",
    "position": 1,
    "credentials": ["0b8f5a52-8d0c-4d3e-a2a6-8c1f3b7d9e21"],
    "created_at": "2026-11-28T12:00:00Z",
}


def _credentials(request: Request, uuids: list, *, top_level: bool = True) -> list[Credential]:
    queryset = Credential.objects.owned_by(request.user)
    return resolve_owned(
        queryset.top_level() if top_level else queryset, uuids, field="credentials"
    )


def _owned_collection(request: Request, collection_uuid: str) -> Collection:
    return get_object_or_404(Collection.objects.owned_by(request.user), uuid=collection_uuid)


class CollectionList(ApiView, generics.ListAPIView):
    """The learner's collections."""

    serializer_class = s.CollectionSerializer
    pagination_class = Pagination

    def get_queryset(self) -> QuerySet[Collection]:
        """The caller's collections, in their order."""
        return Collection.objects.owned_by(self.request.user)

    @extend_schema(
        tags=[COLLECTIONS],
        summary=_("List your collections"),
        responses={200: s.CollectionSerializer(many=True), **errors(404)},
        examples=[OpenApiExample("A collection", value=COLLECTION_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request, *args: object, **kwargs: object) -> Response:
        """A page of collections."""
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=[COLLECTIONS],
        summary=_("Make a collection"),
        description=_(
            "A named, ordered group of your credentials; `credentials` (optional) are "
            "added in the order given."
        ),
        request=s.CollectionCreateSerializer,
        responses={201: s.CollectionSerializer, **CHANGE_ERRORS},
        examples=[
            OpenApiExample(
                "New collection",
                value={
                    "name": "Data skills",
                    "description": "For analyst roles.",
                    "credentials": ["0b8f5a52-8d0c-4d3e-a2a6-8c1f3b7d9e21"],
                },
                request_only=True,
            )
        ],
    )
    def post(self, request: Request) -> Response:
        """Make the collection."""
        data = self.validated(s.CollectionCreateSerializer)
        collection = curation_services.create_collection(
            owner=request.user,
            name=data["name"],
            description=data["description"],
            credentials=_credentials(request, data["credentials"]),
        )
        return Response(s.CollectionSerializer(collection).data, status=status.HTTP_201_CREATED)


class CollectionDetail(ApiView):
    """One collection."""

    @extend_schema(
        tags=[COLLECTIONS],
        summary=_("Show a collection"),
        responses={200: s.CollectionSerializer, **errors(404)},
    )
    def get(self, request: Request, collection_uuid: str) -> Response:
        """The collection and its credentials in order."""
        return Response(s.CollectionSerializer(_owned_collection(request, collection_uuid)).data)

    @extend_schema(
        tags=[COLLECTIONS],
        summary=_("Rename a collection or change its description"),
        request=s.CollectionUpdateSerializer,
        responses={200: s.CollectionSerializer, **CHANGE_ERRORS},
        examples=[OpenApiExample("Rename", value={"name": "Analytics"}, request_only=True)],
    )
    def patch(self, request: Request, collection_uuid: str) -> Response:
        """Save the changed fields."""
        collection = _owned_collection(request, collection_uuid)
        data = self.validated(s.CollectionUpdateSerializer)
        curation_services.update_collection(
            collection=collection,
            name=data.get("name", collection.name),
            description=data.get("description", collection.description),
        )
        return Response(s.CollectionSerializer(collection).data)

    @extend_schema(
        tags=[COLLECTIONS],
        summary=_("Delete a collection"),
        description=_("Its credentials stay in the wallet."),
        request=None,
        responses={204: None, **errors(403, 404)},
    )
    def delete(self, request: Request, collection_uuid: str) -> Response:
        """Delete the collection."""
        curation_services.delete_collection(collection=_owned_collection(request, collection_uuid))
        return Response(status=status.HTTP_204_NO_CONTENT)


class CollectionItems(ApiView):
    """Add credentials to a collection."""

    @extend_schema(
        tags=[COLLECTIONS],
        summary=_("Add credentials to a collection"),
        description=_("Appended in the order given; ones already in it are skipped."),
        request=s.CollectionItemsSerializer,
        responses={200: s.CollectionSerializer, **CHANGE_ERRORS},
        examples=[
            OpenApiExample(
                "Add",
                value={"credentials": ["0b8f5a52-8d0c-4d3e-a2a6-8c1f3b7d9e21"]},
                request_only=True,
            )
        ],
    )
    def post(self, request: Request, collection_uuid: str) -> Response:
        """Append the credentials."""
        collection = _owned_collection(request, collection_uuid)
        data = self.validated(s.CollectionItemsSerializer)
        curation_services.add_to_collection(
            collection=collection,
            credentials=_credentials(request, data["credentials"]),
        )
        return Response(s.CollectionSerializer(collection).data)


def _item(request: Request, collection: Collection, credential_uuid: str) -> Credential:
    return get_object_or_404(
        Credential.objects.owned_by(request.user).filter(collection_items__collection=collection),
        uuid=credential_uuid,
    )


class CollectionItem(ApiView):
    """One credential in a collection."""

    @extend_schema(
        tags=[COLLECTIONS],
        summary=_("Take a credential out of a collection"),
        description=_("It stays in the wallet."),
        request=None,
        responses={200: s.CollectionSerializer, **errors(403, 404)},
    )
    def delete(self, request: Request, collection_uuid: str, credential_uuid: str) -> Response:
        """Remove the credential from the collection."""
        collection = _owned_collection(request, collection_uuid)
        credential = _item(request, collection, credential_uuid)
        curation_services.remove_from_collection(collection=collection, credential=credential)
        return Response(s.CollectionSerializer(collection).data)


class CollectionItemMove(ApiView):
    """Reorder a collection."""

    @extend_schema(
        tags=[COLLECTIONS],
        summary=_("Move a credential up or down in a collection"),
        description=_("One place at a time; at either end it stays put."),
        request=s.MoveSerializer,
        responses={200: s.CollectionSerializer, **CHANGE_ERRORS},
        examples=[OpenApiExample("Up", value={"direction": "up"}, request_only=True)],
    )
    def post(self, request: Request, collection_uuid: str, credential_uuid: str) -> Response:
        """Move the credential."""
        collection = _owned_collection(request, collection_uuid)
        credential = _item(request, collection, credential_uuid)
        data = self.validated(s.MoveSerializer)
        offset = -1 if data["direction"] == "up" else 1
        curation_services.move_collection_item(
            collection=collection, credential=credential, offset=offset
        )
        return Response(s.CollectionSerializer(collection).data)


def _skills(request: Request) -> QuerySet[Skill]:
    return Skill.objects.owned_by(request.user).prefetch_related(
        Prefetch("credentials", queryset=Credential.objects.order_by("name"))
    )


SKILL_EXAMPLE = {
    "uuid": "9e1d7c3b-2a4f-4b6e-8d0c-1f2e3a4b5c6d",
    "name": "Data analysis",
    "framework": "ESCO",
    "code": "S1.2",
    "url": "https://example.org/skills/data-analysis",
    "source": "learner",
    "credentials": ["0b8f5a52-8d0c-4d3e-a2a6-8c1f3b7d9e21"],
    "created_at": "2026-11-28T12:00:00Z",
}


class SkillList(ApiView, generics.ListAPIView):
    """The learner's skills."""

    serializer_class = s.SkillSerializer
    pagination_class = Pagination

    def get_queryset(self) -> QuerySet[Skill]:
        """The caller's skills with their evidence."""
        return _skills(self.request)

    @extend_schema(
        tags=[SKILLS],
        summary=_("List your skills"),
        description=_(
            "Skills from your credentials' alignments and those you added, each with "
            "the credentials behind it."
        ),
        responses={200: s.SkillSerializer(many=True), **errors(404)},
        examples=[OpenApiExample("A skill", value=SKILL_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request, *args: object, **kwargs: object) -> Response:
        """A page of skills."""
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=[SKILLS],
        summary=_("Add a skill"),
        description=_(
            "Backed by your credentials; a skill you already have (same framework and "
            "code, or same name) gets the new evidence instead."
        ),
        request=s.SkillCreateSerializer,
        responses={201: s.SkillSerializer, **CHANGE_ERRORS},
        examples=[
            OpenApiExample(
                "New skill",
                value={
                    "name": "Data analysis",
                    "credentials": ["0b8f5a52-8d0c-4d3e-a2a6-8c1f3b7d9e21"],
                },
                request_only=True,
            )
        ],
    )
    def post(self, request: Request) -> Response:
        """Add the skill."""
        data = self.validated(s.SkillCreateSerializer)
        skill = curation_services.add_skill(
            owner=request.user,
            name=data["name"],
            framework=data["framework"],
            code=data["code"],
            url=data["url"],
            credentials=_credentials(request, data["credentials"], top_level=False),
        )
        return Response(s.SkillSerializer(skill).data, status=status.HTTP_201_CREATED)


class SkillDetail(ApiView):
    """One skill."""

    def _skill(self, request: Request, skill_uuid: str) -> Skill:
        return get_object_or_404(_skills(request), uuid=skill_uuid)

    @extend_schema(
        tags=[SKILLS],
        summary=_("Show a skill"),
        responses={200: s.SkillSerializer, **errors(404)},
    )
    def get(self, request: Request, skill_uuid: str) -> Response:
        """The skill and its evidence."""
        return Response(s.SkillSerializer(self._skill(request, skill_uuid)).data)

    @extend_schema(
        tags=[SKILLS],
        summary=_("Choose the credentials behind a skill"),
        description=_("Replaces its evidence; credentials aligned to the skill always stay."),
        request=s.SkillUpdateSerializer,
        responses={200: s.SkillSerializer, **CHANGE_ERRORS},
        examples=[
            OpenApiExample(
                "Two credentials",
                value={
                    "credentials": [
                        "0b8f5a52-8d0c-4d3e-a2a6-8c1f3b7d9e21",
                        "7c2e9d41-3b5a-4f6e-8a1d-2c3b4a5f6e7d",
                    ]
                },
                request_only=True,
            )
        ],
    )
    def put(self, request: Request, skill_uuid: str) -> Response:
        """Set the evidence."""
        skill = self._skill(request, skill_uuid)
        data = self.validated(s.SkillUpdateSerializer)
        curation_services.set_skill_credentials(
            skill=skill,
            credentials=_credentials(request, data["credentials"], top_level=False),
        )
        return Response(s.SkillSerializer(self._skill(request, skill_uuid)).data)

    @extend_schema(
        tags=[SKILLS],
        summary=_("Remove a skill you added"),
        description=_(
            "Skills that come from your credentials' alignments cannot be removed (422)."
        ),
        request=None,
        responses={204: None, **errors(403, 404, 422)},
    )
    def delete(self, request: Request, skill_uuid: str) -> Response:
        """Remove the skill."""
        curation_services.delete_skill(skill=self._skill(request, skill_uuid))
        return Response(status=status.HTTP_204_NO_CONTENT)
