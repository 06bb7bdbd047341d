from django.contrib import admin

from arena.training.models import TrainingPolicy, TrainingRun


@admin.register(TrainingPolicy)
class TrainingPolicyAdmin(admin.ModelAdmin):
    list_display = ("event", "minutes_per_job", "max_concurrent_per_team", "max_total_per_team")


@admin.register(TrainingRun)
class TrainingRunAdmin(admin.ModelAdmin):
    list_display = ("id", "name", "team", "step", "seconds", "created_at")
    list_filter = ("team__event",)
    readonly_fields = ("job", "losses", "metrics", "reference", "samples", "created_at")
