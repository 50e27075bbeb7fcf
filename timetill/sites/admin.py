"""Back-office screens for sites and devices (tokens come from `timetill device add` or the API)."""

from django.contrib import admin
from django.utils import timezone

from timetill.sites.models import Device, Site
from timetill.sites.services import revoke_device


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "slug",
        "time_zone",
        "currency",
        "capacity",
        "existing_line_policy",
        "unknown_code_policy",
    ]
    prepopulated_fields = {"slug": ["name"]}


@admin.action(description="Revoke the selected devices' tokens")
def revoke(modeladmin, request, queryset):
    for device in queryset:
        revoke_device(device=device, at=timezone.now())


@admin.register(Device)
class DeviceAdmin(admin.ModelAdmin):
    list_display = ["name", "site", "token_hint", "created_at", "last_seen_at", "revoked_at"]
    list_filter = ["site"]
    readonly_fields = ["token_hint", "created_at", "last_seen_at", "revoked_at"]
    actions = [revoke]

    def has_add_permission(self, request):
        # A token must be shown once to the person who creates it: `timetill device add` or the API does that.
        return False
