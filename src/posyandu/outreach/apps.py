from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "posyandu.outreach"
    label = "outreach"
