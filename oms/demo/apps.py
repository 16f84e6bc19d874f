from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "oms.demo"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from oms.demo.area import record_grade_decisions
        from oms.demo.enrichers import register_enricher

        # After the tiering enricher (95): the tiers are final.
        register_enricher("grade_decisions", 96, record_grade_decisions)
