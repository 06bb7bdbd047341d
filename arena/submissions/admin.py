from django.contrib import admin

from arena.submissions.models import Composition, Melody


@admin.register(Melody)
class MelodyAdmin(admin.ModelAdmin):
    list_display = ("title", "team", "source", "bars", "notes", "key", "created_at")
    list_filter = ("source", "team__event")


@admin.register(Composition)
class CompositionAdmin(admin.ModelAdmin):
    list_display = ("id", "melody", "team", "model", "style", "is_entry", "created_at")
    list_filter = ("model", "style", "is_entry", "team__event")
    raw_id_fields = ("melody", "job")
