from django.urls import path, re_path

from sharing.tokens import TOKEN_PATTERN
from sharing.views import employer, learner

app_name = "sharing"

TOKEN = rf"s/(?P<token>{TOKEN_PATTERN})"

urlpatterns = [
    path("share/", learner.link_list, name="link_list"),
    path("share/new/", learner.link_create, name="link_create"),
    path("share/<uuid:link_uuid>/", learner.link_detail, name="link_detail"),
    path("share/<uuid:link_uuid>/edit/", learner.link_edit, name="link_edit"),
    path("share/<uuid:link_uuid>/revoke/", learner.link_revoke, name="link_revoke"),
    path("share/<uuid:link_uuid>/extend/", learner.link_extend, name="link_extend"),
    path("share/<uuid:link_uuid>/regenerate/", learner.link_regenerate, name="link_regenerate"),
    path("share/<uuid:link_uuid>/transcript/", learner.link_transcript, name="link_transcript"),
    path(
        "share/<uuid:link_uuid>/transcript.pdf",
        learner.link_transcript_pdf,
        name="link_transcript_pdf",
    ),
    path("share/<uuid:link_uuid>/qr.svg", learner.link_qr_svg, name="link_qr_svg"),
    path("share/<uuid:link_uuid>/linkedin/", learner.link_linkedin, name="link_linkedin"),
    path(
        "share/linkedin/<uuid:credential_uuid>/",
        learner.linkedin_create,
        name="linkedin_create",
    ),
    re_path(rf"^{TOKEN}/$", employer.public_page, name="public_page"),
    re_path(rf"^{TOKEN}\.json$", employer.public_json, name="public_json"),
    re_path(rf"^{TOKEN}/qr\.svg$", employer.public_qr_svg, name="public_qr_svg"),
    re_path(rf"^{TOKEN}/qr\.png$", employer.public_qr_png, name="public_qr_png"),
    re_path(rf"^{TOKEN}/transcript\.pdf$", employer.public_transcript, name="public_transcript"),
    re_path(
        rf"^{TOKEN}/images/(?P<credential_uuid>[0-9a-f-]{{36}})\.png$",
        employer.public_image,
        name="public_image",
    ),
]
