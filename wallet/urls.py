from django.urls import path

from wallet.hostapi import views as hostapi_views
from wallet.views import (
    account,
    collections,
    credentials,
    curation,
    dashboard,
    export,
    pages,
    profile,
    receive,
    skills,
)

app_name = "wallet"

CREDENTIAL = "credentials/<uuid:credential_uuid>/"
COLLECTION = "wallet/collections/<uuid:collection_uuid>/"

urlpatterns = [
    path("", pages.home, name="home"),
    path("wallet/", dashboard.dashboard, name="dashboard"),
    path("wallet/import/", credentials.credential_import, name="credential_import"),
    path("wallet/import/jobs/<uuid:job_uuid>/", credentials.import_job, name="import_job"),
    path(CREDENTIAL, credentials.credential_detail, name="credential_detail"),
    path(f"{CREDENTIAL}original/", credentials.credential_original, name="credential_original"),
    path(f"{CREDENTIAL}data/", credentials.credential_json, name="credential_json"),
    path(f"{CREDENTIAL}image.png", credentials.credential_image, name="credential_image"),
    path(f"{CREDENTIAL}evidence/", credentials.credential_evidence, name="credential_evidence"),
    path(f"{CREDENTIAL}verify/", credentials.credential_reverify, name="credential_reverify"),
    path(f"{CREDENTIAL}delete/", credentials.credential_delete, name="credential_delete"),
    path(f"{CREDENTIAL}notes/", curation.credential_notes, name="credential_notes"),
    path(f"{CREDENTIAL}tags/", curation.credential_tags, name="credential_tags"),
    path(f"{CREDENTIAL}pin/", curation.credential_pin, name="credential_pin"),
    path(f"{CREDENTIAL}hide/", curation.credential_hide, name="credential_hide"),
    path(
        f"{CREDENTIAL}collections/",
        curation.credential_collections,
        name="credential_collections",
    ),
    path("wallet/collections/", collections.collection_list, name="collection_list"),
    path(COLLECTION, collections.collection_detail, name="collection_detail"),
    path(f"{COLLECTION}edit/", collections.collection_edit, name="collection_edit"),
    path(f"{COLLECTION}add/", collections.collection_add, name="collection_add"),
    path(f"{COLLECTION}delete/", collections.collection_delete, name="collection_delete"),
    path(
        f"{COLLECTION}items/<uuid:credential_uuid>/move/",
        collections.collection_move,
        name="collection_move",
    ),
    path(
        f"{COLLECTION}items/<uuid:credential_uuid>/remove/",
        collections.collection_remove,
        name="collection_remove",
    ),
    path("wallet/skills/", skills.skill_list, name="skill_list"),
    path("wallet/skills/<uuid:skill_uuid>/", skills.skill_detail, name="skill_detail"),
    path("wallet/skills/<uuid:skill_uuid>/delete/", skills.skill_delete, name="skill_delete"),
    path("wallet/profile/", profile.profile, name="profile"),
    path("wallet/profile/photo.png", profile.profile_photo, name="profile_photo"),
    path("wallet/profile/photo/", profile.profile_photo_upload, name="profile_photo_upload"),
    path(
        "wallet/profile/photo/remove/",
        profile.profile_photo_remove,
        name="profile_photo_remove",
    ),
    path("wallet/profile/identifiers/", profile.identifier_add, name="identifier_add"),
    path(
        "wallet/profile/identifiers/<uuid:identifier_uuid>/remove/",
        profile.identifier_remove,
        name="identifier_remove",
    ),
    path("wallet/export/", export.export_list, name="export_list"),
    path("wallet/export/new/", export.export_request, name="export_request"),
    path("wallet/export/<uuid:job_uuid>/", export.export_detail, name="export_detail"),
    path(
        "wallet/export/<uuid:job_uuid>/download/",
        export.export_download,
        name="export_download",
    ),
    path("wallet/account/delete/", account.account_delete, name="account_delete"),
    path("wallet/account/history/", account.account_history, name="account_history"),
    path(
        "wallet/account/platforms/",
        hostapi_views.connected_platforms,
        name="connected_platforms",
    ),
    path(
        "wallet/account/platforms/<uuid:connection_uuid>/disconnect/",
        hostapi_views.platform_disconnect,
        name="platform_disconnect",
    ),
    path(
        "wallet/account/platforms/<uuid:connection_uuid>/profile/",
        hostapi_views.platform_profile,
        name="platform_profile",
    ),
    path("wallet/account/keys/", receive.holder_key_list, name="holder_key_list"),
    path("wallet/account/keys/rotate/", receive.holder_key_rotate, name="holder_key_rotate"),
    path("wallet/receive/", receive.receive_offer, name="receive_offer"),
    path("wallet/receive/callback/", receive.receive_callback, name="receive_callback"),
    path("language/", pages.set_language, name="set_language"),
]
