"""The month names dates are written with, as each language writes them inside a sentence.

Django's own Italian catalogue capitalises them ("08 Dicembre 2026"); Italian writes "8 dicembre 2026". The
project's catalogues come first (LOCALE_PATHS), so the names marked here, translated in them, win.
"""

from django.utils.translation import gettext_noop

MONTH_NAMES = (
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
)
