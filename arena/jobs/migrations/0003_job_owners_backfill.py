"""Existing jobs get the team and event they belong to, so they are dispatched fairly and show
on their event's queue page."""

from django.db import migrations


def backfill(apps, schema_editor):
    Job = apps.get_model("jobs", "Job")
    Composition = apps.get_model("submissions", "Composition")
    TrainingRun = apps.get_model("training", "TrainingRun")
    Publication = apps.get_model("publishing", "Publication")
    for model in (Composition, TrainingRun):
        for job_id, team_id, event_id in model.objects.values_list(
            "job_id", "team_id", "team__event_id"
        ):
            Job.objects.filter(pk=job_id).update(
                team_id=team_id, event_id=event_id, owner_key=f"team:{team_id}"
            )
    for job_id, event_id in Publication.objects.exclude(job=None).values_list("job_id", "event_id"):
        Job.objects.filter(pk=job_id).update(event_id=event_id)
    for job in Job.objects.filter(owner_key="").exclude(created_by=None).only("created_by_id"):
        Job.objects.filter(pk=job.pk).update(owner_key=f"user:{job.created_by_id}")


class Migration(migrations.Migration):

    dependencies = [
        ("jobs", "0002_fair_dispatch"),
        ("submissions", "0003_demo_entries_by_bach"),
        ("training", "0001_initial"),
        ("publishing", "0001_initial"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
