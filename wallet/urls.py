from django.urls import path

from wallet import views

app_name = "wallet"

urlpatterns = [
    path("", views.home, name="home"),
    path("wallet/", views.dashboard, name="dashboard"),
    path("language/", views.set_language, name="set_language"),
]
