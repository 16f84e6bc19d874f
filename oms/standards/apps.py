from django.apps import AppConfig


class StandardsConfig(AppConfig):
    name = "oms.standards"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from oms.accounts.navigation import register_navigation
        from oms.cases.panels import register_panel
        from oms.standards import facts, record_sources, views  # noqa: F401  (they register fact sources)
        from oms.standards.permissions import tracks_enforcement, works_from_actions_dashboard

        register_panel("standards-actions", 5, views.case_actions_panel)
        register_panel("transfer-in-checklist", 6, views.transfer_checklist_panel)
        register_navigation("Actions due", "standards:actions", 10, works_from_actions_dashboard)
        register_navigation("Enforcement", "standards:enforcement", 11, tracks_enforcement)
