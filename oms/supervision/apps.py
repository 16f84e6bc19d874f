from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "oms.supervision"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Add the case page section, the navigation links, the timeline sources and the demo history."""
        from oms.accounts.navigation import register_navigation
        from oms.cases.panels import CONTACTS, ENFORCEMENT, register_panel
        from oms.demo.enrichers import register_enricher
        from oms.supervision.case_panel import render_enforcement_panel, render_supervision_panel
        from oms.supervision.demo import enrich_with_contacts
        from oms.supervision.permissions import can_decide_enforceability, can_use_calendar, can_use_reception
        from oms.supervision.timeline import register_foundation_sources

        register_panel("supervision", 30, render_supervision_panel, CONTACTS)
        register_panel("enforcement", 30, render_enforcement_panel, ENFORCEMENT)
        # The same function the calendar page checks, so the link and the page never disagree.
        register_navigation("Calendar", "supervision:calendar", 30, can_use_calendar)
        register_navigation("Reception", "supervision:reception", 31, can_use_reception)
        register_navigation("Not enforceable", "supervision:not-enforceable", 32, can_decide_enforceability)

        from oms.accounts.work_queues import register_work_queue
        from oms.supervision import work_queues

        register_work_queue(
            "todays-appointments", 10, work_queues.holds_appointments, work_queues.todays_appointments
        )
        register_work_queue(
            "recalls-sent-back", 25, work_queues.recommends_recalls, work_queues.recalls_sent_back
        )
        register_work_queue(
            "recalls-to-sign-off", 40, work_queues.signs_off_recalls, work_queues.recalls_to_sign_off
        )
        register_work_queue(
            "not-enforceable", 50, work_queues.decides_enforceability, work_queues.not_enforceable_to_approve
        )
        register_foundation_sources()
        register_enricher("supervision", 40, enrich_with_contacts)

        from oms.cases.record import register_record_section
        from oms.supervision.record import supervision_record

        register_record_section("supervision", 20, supervision_record)
        import oms.cases.bulk_contacts  # noqa: F401  (registers `oms import contacts`)
