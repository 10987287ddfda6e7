"""URL configuration."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from posyandu.config.api import api
from posyandu.web import views
from posyandu.web.growth_check import growth_check

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("pertumbuhan/", growth_check, name="growth_calculator"),
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("warga/", include("posyandu.registry.urls")),
    path("hari-buka/", include("posyandu.visits.urls")),
    path("rujukan/", include("posyandu.referrals.urls")),
    path("kunjungan-rumah/", include("posyandu.outreach.urls")),
    path("kader/", include("posyandu.kaders.urls")),
    path("pws/", include("posyandu.pws.urls")),
    path("sinkron/", include("posyandu.sync.urls")),
    path("pokjanal/", include("posyandu.pokjanal.urls")),
    path("laporan/", include("posyandu.reports.urls")),
    path("luring/", include("posyandu.offline.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
