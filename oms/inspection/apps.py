from django.apps import AppConfig


class InspectionConfig(AppConfig):
    name = "oms.inspection"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Add "Inspections" to the navigation, the sampled-case panel and the demo inspections."""
        from oms.accounts.navigation import register_navigation
        from oms.cases.panels import register_panel
        from oms.demo.enrichers import register_enricher
        from oms.inspection.demo import enrich_with_inspections
        from oms.inspection.panels import render_inspection_panel
        from oms.inspection.permissions import can_see_programme, uses_inspections

        register_navigation("Inspections", "inspection:list", 80, uses_inspections)
        register_navigation("Inspection programme", "inspection:programme", 83, can_see_programme)
        register_panel("inspection", 90, render_inspection_panel)
        # After the other apps' enrichers, so pre-fill sees their records.
        register_enricher("inspection", 900, enrich_with_inspections)
