from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "oms.organisation"
    default_auto_field = "django.db.models.BigAutoField"
