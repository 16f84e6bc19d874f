from django.apps import AppConfig


class VictimsConfig(AppConfig):
    name = "oms.victims"
    default_auto_field = "django.db.models.BigAutoField"
