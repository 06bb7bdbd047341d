from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "arena.accounts"
    label = "accounts"

    def ready(self) -> None:
        from arena.accounts.services import site_sync

        # After every migrate (the demo's, a deployment's, the test database's).
        post_migrate.connect(site_sync, sender=self, dispatch_uid="arena-site-sync")
