from django.apps import AppConfig


class PwsConfig(AppConfig):
    name = "posyandu.pws"
    label = "pws"
    verbose_name = "PWS"

    def ready(self) -> None:
        # Keep the rollups live: every write of a counted fact schedules a refresh.
        from posyandu.pws import signals

        signals.connect()
