from django.apps import AppConfig


class StandardsConfig(AppConfig):
    name = "oms.standards"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from oms.accounts.navigation import register_navigation
        from oms.cases.panels import register_panel
        from oms.standards import facts, record_sources, views  # noqa: F401  (they register fact sources)
        from oms.standards.permissions import tracks_enforcement, works_from_actions_dashboard

        self._keep_stored_actions_current()

        register_panel("standards-actions", 5, views.case_actions_panel)
        register_panel("transfer-in-checklist", 6, views.transfer_checklist_panel)
        register_navigation("Actions due", "standards:actions", 10, works_from_actions_dashboard)
        register_navigation("Enforcement", "standards:enforcement", 11, tracks_enforcement)

    def _keep_stored_actions_current(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from oms.cases.upkeep import (
            connect_case_upkeep_signals,
            ignore_model_for_upkeep,
            note_area_changed,
            register_case_upkeep,
        )
        from oms.standards.models import AreaStandards
        from oms.standards.stored import case_upkeep

        ignore_model_for_upkeep("standards.StoredAction")
        register_case_upkeep("standards-actions", case_upkeep)
        connect_case_upkeep_signals()

        def figures_changed(sender: type, instance: AreaStandards, **kwargs: object) -> None:
            if not kwargs.get("raw"):
                note_area_changed(instance.area_id)

        post_save.connect(
            figures_changed, sender=AreaStandards, weak=False, dispatch_uid="oms-area-standards"
        )
        post_delete.connect(
            figures_changed, sender=AreaStandards, weak=False, dispatch_uid="oms-area-standards-del"
        )
