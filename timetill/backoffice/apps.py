"""App config for the back office pages."""

from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "timetill.backoffice"
    label = "backoffice"
