from django.apps import AppConfig


class InterventionsConfig(AppConfig):
    name = "oms.interventions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from oms.accounts.navigation import register_navigation
        from oms.cases.panels import INTERVENTIONS, RISK, register_panel
        from oms.demo.enrichers import register_enricher
        from oms.interventions.demo import enrich_interventions
        from oms.interventions.panels import render_interventions_panel, render_mappa_ppo_panel
        from oms.interventions.permissions import sees_interventions_list

        register_panel("mappa_ppo", 25, render_mappa_ppo_panel, RISK)
        register_panel("interventions", 40, render_interventions_panel, INTERVENTIONS)
        register_navigation("Interventions", "interventions:list", 40, sees_interventions_list)
        register_enricher("interventions", 40, enrich_interventions)

        from oms.cases.record import register_record_section
        from oms.interventions.record import interventions_record

        register_record_section("interventions", 40, interventions_record)

        from oms.inspection.prefill import register_prefill
        from oms.interventions.prefill import programme_started_as_planned

        register_prefill("programme_started_as_planned", programme_started_as_planned)

        from oms.interventions.timeline import mappa_entries
        from oms.supervision.timeline import register_source

        register_source("mappa", "MAPPA meetings", 93, mappa_entries)
