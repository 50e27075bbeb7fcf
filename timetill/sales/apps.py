"""App config for the till."""

from django.apps import AppConfig


class SalesConfig(AppConfig):
    name = "timetill.sales"
    label = "sales"
