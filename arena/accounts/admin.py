from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from arena.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "email", "display_name", "role", "is_staff")
    list_filter = ("role", "is_staff", "is_superuser")
    fieldsets = (*BaseUserAdmin.fieldsets, ("Arena", {"fields": ("display_name", "role")}))
