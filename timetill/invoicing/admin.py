"""Admin: families and enrolments can be looked at and fixed; invoices and what follows them are read-only."""

from django.contrib import admin

from timetill.invoicing.models import CreditNote, Enrolment, Family, FamilyChild, Invoice, Payer, Payment


class PayerInline(admin.TabularInline):
    model = Payer
    extra = 0


class ChildInline(admin.TabularInline):
    model = FamilyChild
    extra = 0
    raw_id_fields = ["customer"]


@admin.register(Family)
class FamilyAdmin(admin.ModelAdmin):
    list_display = ["name", "site"]
    inlines = [PayerInline, ChildInline]


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ["customer", "package", "start", "end"]
    raw_id_fields = ["customer"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # the history of enrolments is kept: end one instead


class ReadOnlyAdmin(admin.ModelAdmin):
    """Legal records: shown, never added, changed or deleted here (the services and the triggers decide)."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "family", "payer", "month", "state", "gross"]
    list_filter = ["state", "month"]


@admin.register(CreditNote)
class CreditNoteAdmin(ReadOnlyAdmin):
    list_display = ["number", "invoice", "issue_date", "gross"]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["invoice", "method", "amount", "paid_on"]
