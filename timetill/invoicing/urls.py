"""Invoicing page addresses: the month, its run's progress, invoices, families and enrolments."""

from django.urls import path

from timetill.invoicing.views import mine
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
]
