"""URLs of the Pokjanal pages (mounted at /pokjanal/)."""

from django.urls import path

from posyandu.pokjanal import views

app_name = "pokjanal"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("ilp/<uuid:uuid>/", views.rollout_edit, name="rollout"),
    path("strata/<uuid:uuid>/", views.strata_edit, name="strata"),
    path("keputusan/baru/", views.decision_new, name="decision_new"),
    path("keputusan/<uuid:uuid>/", views.decision_edit, name="decision_edit"),
]
