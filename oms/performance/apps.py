from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "oms.performance"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from oms.accounts.navigation import register_navigation
        from oms.demo.enrichers import register_enricher
        from oms.performance.demo import enrich_performance
        from oms.performance.permissions import (
            can_see_national_report,
            can_see_performance,
            can_see_registers,
            can_see_workforce,
        )

        register_navigation("Performance", "performance:dashboard", 80, can_see_performance)
        register_navigation("National performance", "performance:national", 79, can_see_national_report)
        register_navigation("Workforce", "performance:workforce", 81, can_see_workforce)
        register_navigation("Risk register", "performance:risk_register", 82, can_see_registers)
        register_enricher("performance", 90, enrich_performance)

        from oms.performance.stored import store_area_figures
        from oms.standards.nightly import register_nightly_work

        # The nightly sweep stores each area's measure figures, which the performance pages read.
        register_nightly_work("performance figures", store_area_figures)

        from oms.accounts.work_queues import register_work_queue
        from oms.performance import work_queues

        register_work_queue(
            "area-performance", 70, work_queues.reads_area_performance, work_queues.area_performance
        )
        register_work_queue(
            "national-performance",
            70,
            work_queues.reads_national_performance,
            work_queues.national_performance,
        )
