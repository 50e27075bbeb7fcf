"""Back-office screens for customers, their codes, groups and guardians."""

from django.contrib import admin

from timetill.customers.models import Code, Customer, CustomerGroup, Guardian


class CodeInline(admin.TabularInline):
    model = Code
    extra = 1


class GuardianInline(admin.TabularInline):
    model = Guardian
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["name", "group", "email"]
    list_filter = ["group"]
    search_fields = ["name", "codes__value", "email"]
    inlines = [CodeInline, GuardianInline]


admin.site.register(CustomerGroup)
