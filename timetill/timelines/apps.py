"""App config for time lines."""

from django.apps import AppConfig


class TimelinesConfig(AppConfig):
    name = "timetill.timelines"
    label = "timelines"
    verbose_name = "Time lines"
