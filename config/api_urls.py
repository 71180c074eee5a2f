"""The REST API's addresses: /api/v1/…, the OpenAPI schema and its interactive docs.

Mounted at /api/ by config/urls.py; every address under it that names no
endpoint answers a JSON 404 in the API's error shape.
"""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from config import api_docs
from credentials.api.errors import api_not_found
from sharing.api import views as sharing
from wallet.api import views as wallet
from wallet.api import views_collections as curation
from wallet.api import views_export as export
from wallet.api import views_receive as receive
from wallet.api import views_tokens as tokens
from wallet.views import tokens as token_pages

app_name = "api"

CREDENTIAL = "v1/credentials/<uuid:credential_uuid>/"
COLLECTION = "v1/collections/<uuid:collection_uuid>/"
LINK = "v1/share-links/<uuid:link_uuid>/"

urlpatterns = [
    path("v1/me/", wallet.Me.as_view(), name="me"),
    path("v1/tokens/", tokens.TokenList.as_view(), name="api_token_list"),
    path("v1/tokens/<uuid:token_uuid>/", tokens.TokenDetail.as_view(), name="api_token_detail"),
    path("v1/credentials/", wallet.CredentialList.as_view(), name="credential_list"),
    path("v1/credentials/import/file/", wallet.FileImport.as_view(), name="import_file"),
    path("v1/credentials/import/text/", wallet.TextImport.as_view(), name="import_text"),
    path("v1/credentials/import/url/", wallet.UrlImport.as_view(), name="import_url"),
    path("v1/credentials/import/offer/", receive.OfferImport.as_view(), name="import_offer"),
    path("v1/credentials/self-reported/", wallet.SelfReported.as_view(), name="self_reported"),
    path("v1/import-jobs/", wallet.ImportJobList.as_view(), name="import_job_list"),
    path("v1/import-jobs/<uuid:job_uuid>/", wallet.ImportJobDetail.as_view(), name="import_job"),
    path(CREDENTIAL, wallet.CredentialDetail.as_view(), name="credential_detail"),
    path(f"{CREDENTIAL}original/", wallet.CredentialOriginal.as_view(), name="credential_original"),
    path(f"{CREDENTIAL}verify/", wallet.CredentialVerify.as_view(), name="credential_verify"),
    path(f"{CREDENTIAL}notes/", wallet.CredentialNotes.as_view(), name="credential_notes"),
    path(f"{CREDENTIAL}tags/", wallet.CredentialTags.as_view(), name="credential_tags"),
    path(f"{CREDENTIAL}pin/", wallet.CredentialPin.as_view(), name="credential_pin"),
    path(f"{CREDENTIAL}hide/", wallet.CredentialHide.as_view(), name="credential_hide"),
    path(
        f"{CREDENTIAL}collections/",
        wallet.CredentialCollections.as_view(),
        name="credential_collections",
    ),
    path("v1/collections/", curation.CollectionList.as_view(), name="collection_list"),
    path(COLLECTION, curation.CollectionDetail.as_view(), name="collection_detail"),
    path(f"{COLLECTION}items/", curation.CollectionItems.as_view(), name="collection_items"),
    path(
        f"{COLLECTION}items/<uuid:credential_uuid>/",
        curation.CollectionItem.as_view(),
        name="collection_item",
    ),
    path(
        f"{COLLECTION}items/<uuid:credential_uuid>/move/",
        curation.CollectionItemMove.as_view(),
        name="collection_item_move",
    ),
    path("v1/skills/", curation.SkillList.as_view(), name="skill_list"),
    path("v1/skills/<uuid:skill_uuid>/", curation.SkillDetail.as_view(), name="skill_detail"),
    path("v1/share-links/", sharing.ShareLinkList.as_view(), name="link_list"),
    path(LINK, sharing.ShareLinkDetail.as_view(), name="link_detail"),
    path(f"{LINK}revoke/", sharing.ShareLinkRevoke.as_view(), name="link_revoke"),
    path(f"{LINK}regenerate/", sharing.ShareLinkRegenerate.as_view(), name="link_regenerate"),
    path(f"{LINK}stats/", sharing.ShareLinkStats.as_view(), name="link_stats"),
    path(f"{LINK}transcript/", sharing.ShareLinkTranscript.as_view(), name="link_transcript"),
    path(
        f"{LINK}transcript/download/",
        sharing.ShareLinkTranscriptDownload.as_view(),
        name="link_transcript_download",
    ),
    path("v1/exports/", export.ExportList.as_view(), name="export_list"),
    path("v1/exports/<uuid:job_uuid>/", export.ExportDetail.as_view(), name="export_detail"),
    path(
        "v1/exports/<uuid:job_uuid>/download/",
        export.ExportDownload.as_view(),
        name="export_download",
    ),
    path(
        "schema/",
        SpectacularAPIView.as_view(custom_settings=api_docs.SCHEMA_SETTINGS),
        name="schema",
    ),
    path("docs/", api_docs.api_docs, name="docs"),
    path("tokens/", token_pages.token_list, name="token_list"),
    path("tokens/<uuid:token_uuid>/revoke/", token_pages.token_revoke, name="token_revoke"),
    re_path(r"^", api_not_found, name="not_found"),
]
