from django.apps import AppConfig


class TieringConfig(AppConfig):
    name = "oms.tiering"
    default_auto_field = "django.db.models.BigAutoField"
