from django.urls import path

from wallet.views import credentials, pages

app_name = "wallet"

urlpatterns = [
    path("", pages.home, name="home"),
    path("wallet/", pages.dashboard, name="dashboard"),
    path("wallet/import/", credentials.credential_import, name="credential_import"),
    path("wallet/import/jobs/<uuid:job_uuid>/", credentials.import_job, name="import_job"),
    path(
        "credentials/<uuid:credential_uuid>/",
        credentials.credential_detail,
        name="credential_detail",
    ),
    path(
        "credentials/<uuid:credential_uuid>/original/",
        credentials.credential_original,
        name="credential_original",
    ),
    path(
        "credentials/<uuid:credential_uuid>/image.png",
        credentials.credential_image,
        name="credential_image",
    ),
    path(
        "credentials/<uuid:credential_uuid>/evidence/",
        credentials.credential_evidence,
        name="credential_evidence",
    ),
    path(
        "credentials/<uuid:credential_uuid>/verify/",
        credentials.credential_reverify,
        name="credential_reverify",
    ),
    path(
        "credentials/<uuid:credential_uuid>/delete/",
        credentials.credential_delete,
        name="credential_delete",
    ),
    path("language/", pages.set_language, name="set_language"),
]
