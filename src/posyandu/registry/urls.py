"""URLs of the person pages, mounted at /warga/."""

from django.urls import path

from posyandu.registry import views

app_name = "registry"
urlpatterns = [
    path("", views.person_list, name="search"),
    path("baru/", views.person_new, name="new"),
    path("<uuid:uuid>/", views.person_card, name="card"),
    path("<uuid:uuid>/ubah/", views.person_edit, name="edit"),
    path("<uuid:uuid>/gabung/", views.person_merge_page, name="merge"),
]
