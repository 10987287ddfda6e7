from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "posyandu.registry"
    label = "registry"
