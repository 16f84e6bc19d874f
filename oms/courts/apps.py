from django.apps import AppConfig


class CourtsConfig(AppConfig):
    name = "oms.courts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from oms.accounts.navigation import register_navigation
        from oms.cases.panels import register_panel
        from oms.courts.demo import enrich_court_reports
        from oms.courts.panels import render_court_reports_panel
        from oms.courts.permissions import does_court_work
        from oms.demo.enrichers import register_enricher

        register_panel("court_reports", 30, render_court_reports_panel)
        register_navigation("Court reports", "courts:list", 30, does_court_work)
        register_enricher("court_reports", 30, enrich_court_reports)

        from oms.cases.record import register_record_section
        from oms.courts.record import court_reports_record

        register_record_section("court_reports", 30, court_reports_record)
