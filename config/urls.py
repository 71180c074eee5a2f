from django.contrib import admin
from django.urls import include, path

from config import admin as _admin_wiring  # noqa: F401 -- configures admin.site
from config import views

urlpatterns = [
    path("", include("wallet.urls")),
    path("", include("sharing.urls")),
    path("", include("wallet.hostapi.urls")),
    path("api/", include("config.api_urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path(".well-known/security.txt", views.security_txt, name="security_txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("privacy/", views.page, {"template": "pages/privacy.html"}, name="privacy"),
    path("terms/", views.page, {"template": "pages/terms.html"}, name="terms"),
    path(
        "accessibility/",
        views.page,
        {"template": "pages/accessibility.html"},
        name="accessibility",
    ),
]

handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
handler429 = "wallet.views.account.too_many_requests"
