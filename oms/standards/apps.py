from django.apps import AppConfig


class StandardsConfig(AppConfig):
    name = "oms.standards"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from oms.accounts.navigation import register_navigation
        from oms.accounts.permissions import role_of
        from oms.cases.panels import register_panel
        from oms.organisation.constants import Role
        from oms.standards import facts, record_sources, views  # noqa: F401  (they register fact sources)

        register_panel("standards-actions", 5, views.case_actions_panel)
        register_panel("transfer-in-checklist", 6, views.transfer_checklist_panel)
        shown = {
            Role.OFFENDER_MANAGER,
            Role.SENIOR_PROBATION_OFFICER,
            Role.SENIOR_MANAGER,
            Role.CASE_ADMINISTRATOR,
        }
        register_navigation("Actions due", "standards:actions", 10, lambda user: role_of(user) in shown)
        trackers = {Role.CASE_ADMINISTRATOR, Role.SENIOR_PROBATION_OFFICER, Role.SENIOR_MANAGER}
        register_navigation(
            "Enforcement", "standards:enforcement", 11, lambda user: role_of(user) in trackers
        )
