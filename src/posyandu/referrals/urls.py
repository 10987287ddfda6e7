"""URLs of the referral pages (/rujukan/)."""

from django.urls import path

from posyandu.referrals import views

app_name = "referrals"
urlpatterns = [
    path("", views.referral_list, name="list"),
    path("baru/<uuid:person_uuid>/", views.referral_issue, name="issue"),
    path("<uuid:uuid>/", views.referral_detail, name="detail"),
    path("<uuid:uuid>/terima/", views.referral_receive, name="receive"),
    path("<uuid:uuid>/tangani/", views.referral_handle, name="handle"),
    path("<uuid:uuid>/umpan-balik/", views.referral_feedback, name="feedback"),
    path("<uuid:uuid>/tutup/", views.referral_close, name="close"),
]
