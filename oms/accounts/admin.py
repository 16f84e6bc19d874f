from django.contrib import admin
from django.http import HttpRequest

from oms.accounts.models import AccessLogEntry, CaseAccessGrant


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "username", "action", "crn", "what"]
    list_filter = ["action"]
    search_fields = ["crn", "username"]

    # The log is evidence: read only, even for administrators.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(CaseAccessGrant)
class CaseAccessGrantAdmin(admin.ModelAdmin):
    list_display = ["offender", "staff", "reason", "valid_from", "valid_until"]
    raw_id_fields = ["offender", "staff", "granted_by"]
