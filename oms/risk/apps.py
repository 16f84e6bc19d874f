from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "oms.risk"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Add the case page's risk panel, the countersigning queue to the navigation, and the demo
        area's assessment histories."""
        from oms.accounts.navigation import register_navigation
        from oms.cases.panels import RISK, register_panel
        from oms.demo.enrichers import register_enricher
        from oms.risk.demo import enrich_with_assessments
        from oms.risk.panels import render_risk_panel
        from oms.risk.permissions import sees_countersigning_queue

        register_panel("risk", 20, render_risk_panel, RISK)
        register_navigation("Countersigning", "risk:countersigning", 30, sees_countersigning_queue)

        from oms.accounts.work_queues import register_work_queue
        from oms.risk import work_queues

        register_work_queue("rolled-back", 20, work_queues.writes_assessments, work_queues.rolled_back_to_me)
        register_work_queue("countersigning", 30, sees_countersigning_queue, work_queues.countersigning_queue)
        register_enricher("risk", 20, enrich_with_assessments)
        from oms.risk.timeline import assessment_entries, countersigning_entries
        from oms.supervision.timeline import register_source

        register_source("assessments", "Assessments and plans begun", 90, assessment_entries)
        register_source("countersigning", "Countersigning and rollbacks", 91, countersigning_entries)
        import oms.risk.bulk_assessments
        from oms.cases.record import register_record_section
        from oms.risk.record import risk_record

        register_record_section("assessments", 10, risk_record)

        from oms.inspection.prefill import register_prefill
        from oms.risk.prefill import needs_assessed

        register_prefill("needs_assessed", needs_assessed)
        import oms.risk.services  # noqa: F401  (registers what a locked assessment updates: RoH level, tier)
