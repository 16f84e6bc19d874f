from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "oms.cases"
    default_auto_field = "django.db.models.BigAutoField"
