"""Invoicing page addresses: the month, its run's progress, invoices, families and enrolments."""

from django.urls import path

from timetill.invoicing.views import einvoices, mine, office
from timetill.invoicing.views import pages as views

urlpatterns = [
    path("", views.month_page, name="invoicing-month"),
    path("run/", views.start_run, name="invoicing-run"),
    path("runs/<int:pk>/progress/", views.run_progress, name="invoicing-run-progress"),
    path("lines/<int:pk>/accept/", views.accept_line, name="invoicing-accept"),
    path("invoices/<int:pk>/", views.invoice_page, name="invoicing-invoice"),
    path("invoices/<int:pk>/pdf/", views.invoice_pdf, name="invoicing-invoice-pdf"),
    path("issue/", views.issue_month, name="invoicing-issue"),
    path("send/", views.send_month, name="invoicing-send"),
    path("mine/", mine.my_invoices, name="my-invoices"),
    path("mine/<int:pk>/", mine.my_invoice, name="my-invoice"),
    path("mine/<int:pk>/pdf/", mine.my_invoice_pdf, name="my-invoice-pdf"),
    path("families/", views.families_page, name="invoicing-families"),
    path("families/enrol/", views.enrol, name="invoicing-enrol"),
    path("families/new/", office.new_family, name="invoicing-family-new"),
    path("families/<int:pk>/edit/", office.edit_family, name="invoicing-family-edit"),
    path("invoices/<int:pk>/payment/", office.record_payment, name="invoicing-payment"),
    path("invoices/<int:pk>/credit-note/", office.credit_note, name="invoicing-credit-note"),
    path("invoices/<int:pk>/lines/new/", office.add_line, name="invoicing-add-line"),
    path("invoices/<int:pk>/einvoice/<str:fmt>/", einvoices.invoice_einvoice, name="invoicing-einvoice"),
    path(
        "credit-notes/<int:pk>/einvoice/<str:fmt>/",
        einvoices.credit_note_einvoice,
        name="invoicing-credit-note-einvoice",
    ),
    path("mine/<int:pk>/einvoice/<str:fmt>/", einvoices.my_invoice_einvoice, name="my-einvoice"),
    path(
        "mine/credit-notes/<int:pk>/einvoice/<str:fmt>/",
        einvoices.my_credit_note_einvoice,
        name="my-credit-note-einvoice",
    ),
    path("einvoices/exports/", einvoices.einvoice_export_start, name="invoicing-einvoice-export-start"),
    path("einvoices/exports/<int:pk>/", einvoices.einvoice_export_page, name="invoicing-einvoice-export"),
    path(
        "einvoices/exports/<int:pk>/progress/",
        einvoices.einvoice_export_progress,
        name="invoicing-einvoice-export-progress",
    ),
    path(
        "einvoices/exports/<int:pk>/download/",
        einvoices.einvoice_export_download,
        name="invoicing-einvoice-export-download",
    ),
]
