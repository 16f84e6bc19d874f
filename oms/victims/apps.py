from django.apps import AppConfig


class VictimsConfig(AppConfig):
    name = "oms.victims"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from oms.accounts.navigation import register_navigation
        from oms.cases.panels import RISK, register_panel
        from oms.demo.enrichers import register_enricher
        from oms.victims.demo import enrich_victims
        from oms.victims.panels import render_victims_panel
        from oms.victims.permissions import is_victim_liaison_officer

        register_panel("victims", 35, render_victims_panel, RISK)
        register_navigation("Victims", "victims:list", 50, is_victim_liaison_officer)
        register_enricher("victims", 50, enrich_victims)

        from oms.cases.record import register_record_section
        from oms.victims.record import victims_record

        # The offender receives a subject access export: nothing about their victims goes in it.
        register_record_section("victims", 90, victims_record, in_subject_access=False)
