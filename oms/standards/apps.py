from django.apps import AppConfig


class StandardsConfig(AppConfig):
    name = "oms.standards"
    default_auto_field = "django.db.models.BigAutoField"
