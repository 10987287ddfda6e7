"""URLs of the bidan's review of what the offline app sent, mounted at /sinkron/."""

from django.urls import path

from posyandu.sync import views

app_name = "sync"
urlpatterns = [
    path("tinjau/", views.review_list, name="reviews"),
    path("tinjau/<uuid:uuid>/", views.review_detail, name="review"),
]
