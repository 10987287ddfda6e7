"""URLs of the referrals pages."""

from django.urls import path  # noqa: F401

app_name = "referrals"
urlpatterns: list = []
