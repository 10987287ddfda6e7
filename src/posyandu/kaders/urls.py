"""URLs of the kader registry pages (/kader/)."""

from django.urls import path

from posyandu.kaders import views

app_name = "kaders"
urlpatterns = [
    path("", views.kader_list, name="list"),
    path("baru/", views.kader_register, name="register"),
    path("kesenjangan/", views.competency_gaps, name="gaps"),
    path("<uuid:uuid>/", views.kader_detail, name="detail"),
    path("<uuid:uuid>/tingkat/", views.kader_certify, name="certify"),
]
