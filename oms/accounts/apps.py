from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "oms.accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from oms.accounts.database_roles import grant_after_migrate

        # Sent once per migrate for this app, after every app's migrations have run.
        post_migrate.connect(grant_after_migrate, sender=self, dispatch_uid="oms-grant-app-role")
