"""The host API's URLs: the two specifications' resources and the OAuth 2.0 endpoints."""

from django.urls import path

from wallet.hostapi import api, views

app_name = "hostapi"

urlpatterns = [
    path("ims/ob/v3p0/discovery", views.discovery, {"api": "ob"}, name="ob_discovery"),
    path("ims/ob/v3p0/credentials", api.credentials, {"api": "ob"}, name="ob_credentials"),
    path("ims/ob/v3p0/profile", api.profile, {"api": "ob"}, name="ob_profile"),
    path("ims/clr/v2p0/discovery", views.discovery, {"api": "clr"}, name="clr_discovery"),
    path("ims/clr/v2p0/credentials", api.credentials, {"api": "clr"}, name="clr_credentials"),
    path("ims/clr/v2p0/profile", api.profile, {"api": "clr"}, name="clr_profile"),
    path("oauth/register", views.register, name="register"),
    path("oauth/authorize", views.authorize, name="authorize"),
    path("oauth/token", views.token, name="token"),
    path("oauth/revoke", views.revoke, name="revoke"),
    path("platforms/<uuid:client_uuid>/logo.png", views.platform_logo, name="platform_logo"),
]
