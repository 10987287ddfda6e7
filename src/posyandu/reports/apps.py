from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "posyandu.reports"
    label = "reports"
    verbose_name = "Laporan bulanan"
