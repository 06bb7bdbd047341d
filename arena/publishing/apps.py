from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "arena.publishing"
    label = "publishing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from arena.jobs.handlers import job_handler_register
        from arena.jobs.models import JobKind
        from arena.publishing.services import publications_upload_job

        job_handler_register(kind=JobKind.SOUNDCLOUD_PUBLISH, handler=publications_upload_job)
