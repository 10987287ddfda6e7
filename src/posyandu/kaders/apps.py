from django.apps import AppConfig


class KadersConfig(AppConfig):
    name = "posyandu.kaders"
    label = "kaders"
