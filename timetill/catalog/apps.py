"""App config for the catalogue."""

from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "timetill.catalog"
    label = "catalog"
    verbose_name = "Catalogue"
