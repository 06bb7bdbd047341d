from django.contrib import admin

from arena.publishing.models import Publication, SoundCloudAccount


@admin.register(SoundCloudAccount)
class SoundCloudAccountAdmin(admin.ModelAdmin):
    list_display = ("user", "soundcloud_username", "expires_at", "updated_at")
    exclude = ("access_token", "refresh_token")  # encrypted, and no business of the admin


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    list_display = ("key", "event", "rank", "status", "permalink_url", "updated_at")
    list_filter = ("status", "event")
