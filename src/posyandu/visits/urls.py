"""URLs of the posyandu day (/hari-buka/): days, check-in, the five steps, closing."""

from django.urls import path

from posyandu.visits.views import days, serve, steps

app_name = "visits"

_VISIT = "<uuid:uuid>/kunjungan/<uuid:visit_uuid>/"

urlpatterns = [
    path("", days.day_list, name="day_list"),
    path("<uuid:uuid>/", days.day_detail, name="day"),
    path("<uuid:uuid>/datang/<uuid:person_uuid>/", days.check_in, name="check_in"),
    path("<uuid:uuid>/tutup/", days.day_close, name="close"),
    path(_VISIT, steps.visit_start, name="visit"),
    path(f"{_VISIT}ukur/", steps.visit_measure, name="measure"),
    path(f"{_VISIT}ukur/cek/", steps.measure_check, name="measure_check"),
    path(f"{_VISIT}catat/", steps.visit_record, name="record"),
    path(f"{_VISIT}layanan/", serve.visit_services, name="services"),
    path(f"{_VISIT}rujuk/", serve.visit_refer, name="refer"),
    path(f"{_VISIT}penyuluhan/", steps.visit_counsel, name="counsel"),
]
