from django.contrib import admin

from arena.jobs.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "status", "team", "queue", "attempts", "sent_at", "created_at")
    list_filter = ("status", "kind", "queue")
    readonly_fields = ("created_at", "sent_at", "dispatch_token", "started_at", "finished_at")
