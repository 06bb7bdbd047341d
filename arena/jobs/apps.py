from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "arena.jobs"
    label = "jobs"

    def ready(self) -> None:
        from arena.jobs.broker_folders import broker_folders

        broker_folders()
