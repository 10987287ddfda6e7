"""URLs of the PWS pages (mounted at /pws/)."""

from django.urls import path

from posyandu.pws import views

app_name = "pws"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("ringkasan.csv", views.summary_csv, name="summary_csv"),
    path("tren.csv", views.trend_csv, name="trend_csv"),
    path("peringkat.csv", views.league_csv, name="league_csv"),
    path("indikator/<slug:code>/", views.indicator, name="indicator"),
    path("indikator/<slug:code>.csv", views.indicator_csv, name="indicator_csv"),
    path("indikator/<slug:code>/warga.csv", views.persons_csv, name="persons_csv"),
    path("sasaran/", views.estimates, name="estimates"),
]
