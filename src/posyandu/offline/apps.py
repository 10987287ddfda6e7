from django.apps import AppConfig


class OfflineConfig(AppConfig):
    name = "posyandu.offline"
    label = "offline"
