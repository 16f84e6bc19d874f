from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "oms.planning"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Add the case page's sentence plan panel, the plans' facts for the National Standards, and
        the demo area's plans and reviews. Sentence plans join the countersigning queue by being a
        concrete CountersignedDocument (the core's document_models() finds them)."""
        from oms.cases.panels import SENTENCE_PLAN, register_panel
        from oms.demo.enrichers import register_enricher
        from oms.planning.demo import enrich_with_sentence_plans
        from oms.planning.panels import render_planning_panel
        from oms.planning.standards import PRODUCES, sentence_plan_source
        from oms.standards.sources import register_fact_source

        register_panel("planning", 22, render_planning_panel, SENTENCE_PLAN)
        register_fact_source("planning", sentence_plan_source, produces=PRODUCES)
        register_enricher("planning", 28, enrich_with_sentence_plans)

        from oms.cases.record import register_record_section
        from oms.planning.record import planning_record

        register_record_section("sentence_plans", 12, planning_record)

        from oms.planning.timeline import plan_entries
        from oms.supervision.timeline import register_source

        register_source("plans", "Sentence plans begun", 89, plan_entries)
