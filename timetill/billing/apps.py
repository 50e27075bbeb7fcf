"""App config for the billing core."""

from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "timetill.billing"
    label = "billing"
    verbose_name = "Billing"
