from django.contrib import admin

from arena.events.models import Event, Team, TeamMembership


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "phase", "composing_opens", "organiser")
    list_filter = ("phase",)
    prepopulated_fields = {"slug": ("name",)}


class MembershipInline(admin.TabularInline):
    model = TeamMembership
    extra = 0


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "event", "invite_code")
    list_filter = ("event",)
    inlines = [MembershipInline]
