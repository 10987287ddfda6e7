from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "posyandu.visits"
    label = "visits"
