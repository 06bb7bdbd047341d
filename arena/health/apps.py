from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "arena.health"
    label = "health"
