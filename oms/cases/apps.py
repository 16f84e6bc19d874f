from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "oms.cases"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from oms.accounts.navigation import register_navigation
        from oms.cases.import_views import can_import

        register_navigation("Import", "cases:import", 90, can_import)
