"""App config for the daycare's invoicing."""

from django.apps import AppConfig


class InvoicingConfig(AppConfig):
    name = "timetill.invoicing"
    label = "invoicing"
    verbose_name = "Invoicing"
