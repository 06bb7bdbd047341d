"""Celery configured from the Django settings (CELERY_* names): a `gpu` and a `default` queue."""

from __future__ import annotations

import os

from celery import Celery
from kombu import Exchange, Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "arena.settings.local")

app = Celery("arena")
app.config_from_object("django.conf:settings", namespace="CELERY")


def _configure() -> None:
    from django.conf import settings

    # Each queue has its own exchange and routing key, so a job sent to one queue is delivered
    # to that queue alone.
    app.conf.task_queues = [
        Queue(name, Exchange(name, type="direct"), routing_key=name)
        for name in (settings.CELERY_DEFAULT_QUEUE, settings.CELERY_GPU_QUEUE)
    ]
    app.conf.task_default_queue = settings.CELERY_DEFAULT_QUEUE
    # A job is acknowledged only when it ends, so a worker that dies mid-job leaves it queued.
    app.conf.task_acks_late = True
    app.conf.task_reject_on_worker_lost = True
    app.conf.worker_prefetch_multiplier = 1
    app.conf.task_ignore_result = True  # outcomes live in arena's Job table
    app.conf.broker_connection_retry_on_startup = True
    broker_folders_use()


def broker_folders_use() -> None:
    """Point the filesystem broker (the demo's) at the folders CELERY_BROKER_DIR names now; the
    test suite calls it again when it gives its run folders of its own."""
    from arena.jobs.broker_folders import broker_folders

    folders = broker_folders()
    if folders is not None:
        app.conf.broker_transport_options = {
            "data_folder_in": str(folders["queue"]),
            "data_folder_out": str(folders["queue"]),
            "processed_folder": str(folders["processed"]),
            "control_folder": str(folders["control"]),
            "store_processed": False,
        }


_configure()
app.autodiscover_tasks(["tasks"], related_name="jobs")
