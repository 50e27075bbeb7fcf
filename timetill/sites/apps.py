"""App config for sites."""

from django.apps import AppConfig


class SitesConfig(AppConfig):
    name = "timetill.sites"
    label = "sites"
    verbose_name = "Sites and devices"
