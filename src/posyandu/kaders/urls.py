"""URLs of the kaders pages."""

from django.urls import path  # noqa: F401

app_name = "kaders"
urlpatterns: list = []
