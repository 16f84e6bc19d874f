from django.apps import AppConfig


class TieringConfig(AppConfig):
    name = "oms.tiering"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Recalculate tiers when registrations and events change; add the allocation queue to the
        navigation; give every demo case a tier decision consistent with its data."""
        from oms.accounts.navigation import register_navigation
        from oms.demo.enrichers import register_enricher
        from oms.tiering import signals
        from oms.tiering.permissions import allocates_cases
        from oms.tiering.recalculation import enrich_with_tier_decisions

        signals.connect()
        register_navigation("Allocation", "tiering:allocation", 31, allocates_cases)

        from oms.accounts.work_queues import register_work_queue
        from oms.tiering import work_queues

        register_work_queue("cases-to-allocate", 35, allocates_cases, work_queues.cases_to_allocate)
        register_work_queue(
            "tier-overrides", 45, work_queues.signs_off_tier_overrides, work_queues.tier_overrides_to_sign_off
        )
        # After the risk enricher (order 20), so the tiers read the assessments it wrote.
        register_enricher("tiering", 95, enrich_with_tier_decisions)  # last: tiers follow every record

        from oms.cases.record import register_record_section
        from oms.tiering.record import tiering_record

        register_record_section("tier_decisions", 8, tiering_record)

        from oms.supervision.timeline import register_source
        from oms.tiering.timeline import tier_entries

        register_source("tiers", "Tier changes", 92, tier_entries)
