"""Back-office screens for time lines, scans and the audit trail: read-only evidence."""

from django.contrib import admin

from timetill.timelines.models import AuditEntry, Scan, TimeLine


class ReadOnlyAdmin(admin.ModelAdmin):
    # Changes go through the services (which audit them); the admin only shows the record.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TimeLine)
class TimeLineAdmin(ReadOnlyAdmin):
    list_display = ["code", "site", "customer", "scanned_code", "start", "end", "hidden", "invoiced"]
    list_filter = ["site", "hidden", "invoiced"]
    search_fields = ["code", "customer__name", "scanned_code"]
    date_hierarchy = "start"


@admin.register(Scan)
class ScanAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "site", "code", "outcome", "via", "user", "device", "client_id"]
    list_filter = ["site", "outcome", "via"]
    search_fields = ["code", "client_id"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "time_line", "action", "user_name", "device_name", "reason"]
    list_filter = ["action"]
