from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "oms.cases"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import pre_save

        from oms.accounts.navigation import register_navigation
        from oms.cases.bulk import can_import
        from oms.cases.stored_values import refuse_unstorable_values

        pre_save.connect(refuse_unstorable_values, dispatch_uid="oms-refuse-unstorable-values")

        register_navigation("Import", "cases:import", 90, can_import)
