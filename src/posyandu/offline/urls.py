"""The offline kader app (ADR 8): its shell, manifest and service worker under /luring/."""

from django.urls import path

from posyandu.offline import views

app_name = "offline"
urlpatterns = [
    path("", views.shell, name="shell"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
]
