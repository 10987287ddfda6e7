from django.apps import AppConfig


class SyncConfig(AppConfig):
    name = "posyandu.sync"
    label = "sync"
    verbose_name = "Sync of the offline kader app"
