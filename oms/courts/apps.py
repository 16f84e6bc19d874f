from django.apps import AppConfig


class CourtsConfig(AppConfig):
    name = "oms.courts"
    default_auto_field = "django.db.models.BigAutoField"
