from django.contrib import admin

from arena.jobs.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "status", "progress", "queue", "attempts", "created_at")
    list_filter = ("status", "kind", "queue")
    readonly_fields = ("created_at", "started_at", "finished_at")
