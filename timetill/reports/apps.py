"""The reports app: time lines for a period, occupancy, revenue from time; pages, API, exports, CLI."""

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "timetill.reports"
    label = "reports"
    verbose_name = "Reports"
