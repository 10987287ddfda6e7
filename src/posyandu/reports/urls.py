"""URLs of the monthly reports (mounted at /laporan/)."""

from django.urls import path

from posyandu.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.chooser, name="chooser"),
    path("posyandu/<str:place>.xlsx", views.posyandu_xlsx, name="posyandu_xlsx"),
    path("posyandu/<str:place>.pdf", views.posyandu_pdf, name="posyandu_pdf"),
    path("puskesmas/<str:place>.xlsx", views.puskesmas_xlsx, name="puskesmas_xlsx"),
    path("puskesmas/<str:place>.pdf", views.puskesmas_pdf, name="puskesmas_pdf"),
]
