from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "oms.outcomes"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """The case page's outcomes panel, "Outcomes" in managers' navigation, and the demo's outcomes."""
        from oms.accounts.navigation import register_navigation
        from oms.cases.panels import register_panel
        from oms.demo.enrichers import register_enricher
        from oms.inspection.prefill import register_prefill
        from oms.outcomes.demo import enrich_with_earlier_tiers, enrich_with_outcomes
        from oms.outcomes.panels import render_outcomes_panel
        from oms.outcomes.permissions import can_see_area_outcomes
        from oms.outcomes.prefill import RULES

        register_navigation("Outcomes", "outcomes:area", 75, can_see_area_outcomes)
        register_panel("outcomes", 60, render_outcomes_panel)
        for code, rule in RULES.items():
            register_prefill(code, rule)
        # After risk, interventions and MAPPA histories exist, before tiering settles the current tiers.
        register_enricher("outcomes", 92, enrich_with_outcomes)
        register_enricher("outcomes-earlier-tiers", 96, enrich_with_earlier_tiers)
