from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "arena.training"
    label = "training"
    verbose_name = "Teams' own models"
