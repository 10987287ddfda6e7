from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "posyandu.regions"
    label = "regions"
