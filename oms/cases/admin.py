from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from oms.cases.models import ContactType, EthnicityCode, Event, OffenceCode, Offender, RequirementType


@admin.register(OffenceCode)
class OffenceCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "ogrs3_category", "ogrs3_coefficient", "error_code", "is_violent_or_sexual"]
    list_filter = ["ogrs3_category", "is_violent_or_sexual"]
    search_fields = ["code", "ogrs3_category"]


@admin.register(RequirementType)
class RequirementTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


@admin.register(ContactType)
class ContactTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


@admin.register(EthnicityCode)
class EthnicityCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "group"]
    list_filter = ["group"]


# Cases are read and changed through the service's own pages, which check rights and record access;
# the admin shows them read-only with their history, for support staff with superuser rights.
class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Offender)
class OffenderAdmin(ReadOnlyHistoryAdmin):
    list_display = ["crn", "family_name", "first_name", "area", "tier", "risk_of_harm_level"]
    search_fields = ["crn", "family_name", "pnc_number"]
    list_select_related = ["area"]


@admin.register(Event)
class EventAdmin(ReadOnlyHistoryAdmin):
    list_display = ["offender", "number", "kind", "sentence_date", "is_active"]
    list_select_related = ["offender"]
    raw_id_fields = ["offender"]
