"""URL configuration."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

from posyandu.config.api import api
from posyandu.web import views
from posyandu.web.growth_check import growth_check

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("pertumbuhan/", growth_check, name="growth_calculator"),
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
