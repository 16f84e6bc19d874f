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

        from oms.accounts.work_queues import register_work_queue
        from oms.standards import work_queues

        # Each person's own actions come straight after their appointments: the day's work first.
        register_work_queue("your-actions", 15, works_from_actions_dashboard, work_queues.your_actions)
        register_work_queue(
            "team-actions", 55, work_queues.sees_team_actions, work_queues.team_overdue_actions
        )
        register_work_queue(
            "unowned-actions", 60, work_queues.sees_unowned_actions, work_queues.unowned_actions
        )

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
