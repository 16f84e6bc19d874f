from django.apps import AppConfig


class InterventionsConfig(AppConfig):
    name = "oms.interventions"
    default_auto_field = "django.db.models.BigAutoField"
