from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from oms.organisation.models import ApprovedPremises, Area, Grade, Region, Staff, Team, Unit


@admin.register(Grade)
class GradeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "role", "holds_caseload"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name"]


@admin.register(Area)
class AreaAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "region", "tiering_framework"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "area"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "unit"]


@admin.register(Staff)
class StaffAdmin(SimpleHistoryAdmin):
    list_display = ["family_name", "first_name", "grade", "area", "team", "is_active"]
    list_filter = ["grade", "area"]
    search_fields = ["family_name", "first_name"]
    raw_id_fields = ["user"]


@admin.register(ApprovedPremises)
class ApprovedPremisesAdmin(admin.ModelAdmin):
    list_display = ["name", "area", "beds"]
