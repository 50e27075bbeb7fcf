"""App config for accounts."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "timetill.accounts"
    label = "accounts"
