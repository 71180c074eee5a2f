from django.urls import path

from wallet import views

app_name = "wallet"

urlpatterns = [
    path("", views.home, name="home"),
    path("wallet/", views.dashboard, name="dashboard"),
    path("wallet/import/", views.credential_import, name="credential_import"),
    path("wallet/import/jobs/<uuid:job_uuid>/", views.import_job, name="import_job"),
    path("credentials/<uuid:credential_uuid>/", views.credential_detail, name="credential_detail"),
    path(
        "credentials/<uuid:credential_uuid>/original/",
        views.credential_original,
        name="credential_original",
    ),
    path(
        "credentials/<uuid:credential_uuid>/image.png",
        views.credential_image,
        name="credential_image",
    ),
    path(
        "credentials/<uuid:credential_uuid>/evidence/",
        views.credential_evidence,
        name="credential_evidence",
    ),
    path(
        "credentials/<uuid:credential_uuid>/verify/",
        views.credential_reverify,
        name="credential_reverify",
    ),
    path(
        "credentials/<uuid:credential_uuid>/delete/",
        views.credential_delete,
        name="credential_delete",
    ),
    path("language/", views.set_language, name="set_language"),
]
