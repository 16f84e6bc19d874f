"""Configuration kept by the administrator: an area's countersigning rule and named deputies."""

from django.contrib import admin

from oms.risk.countersigning import CountersigningDeputy, CountersigningPolicy


@admin.register(CountersigningPolicy)
class CountersigningPolicyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("area", "risk_of_harm_levels", "author_grades")


@admin.register(CountersigningDeputy)
class CountersigningDeputyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("team", "deputy", "valid_from", "valid_until", "reason")
    list_filter = ("team",)
