from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "posyandu.web"
    label = "web"
