"""URLs of the outreach pages (/kunjungan-rumah/): home visits and classes."""

from django.urls import path

from posyandu.outreach import views

app_name = "outreach"
urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("catat/<uuid:person_uuid>/", views.home_visit_record, name="record"),
    path("kelas/", views.class_list, name="classes"),
    path("kelas/<uuid:uuid>/", views.class_detail, name="class_detail"),
]
