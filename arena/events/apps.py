from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "arena.events"
    label = "events"
