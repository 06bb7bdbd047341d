from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "arena.demo"
    label = "demo"
