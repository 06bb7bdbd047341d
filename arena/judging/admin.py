from django.contrib import admin

from arena.judging.models import JudgeAssignment, JudgingSetup, Rating


@admin.register(JudgingSetup)
class JudgingSetupAdmin(admin.ModelAdmin):
    list_display = ("event", "results_published", "results_published_at")


@admin.register(JudgeAssignment)
class JudgeAssignmentAdmin(admin.ModelAdmin):
    list_display = ("event", "judge", "invited_by", "created_at")
    list_filter = ("event",)


@admin.register(Rating)
class ScoreAdmin(admin.ModelAdmin):
    list_display = ("assignment", "entry", "submitted", "updated_at")
    list_filter = ("submitted", "assignment__event")
