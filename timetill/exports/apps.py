"""Downloads written in the background: the time lines' XLSX, a month's e-invoices in one ZIP."""

from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "timetill.exports"
    label = "exports"
    verbose_name = "Exports"
