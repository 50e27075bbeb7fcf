"""The language a document (receipt, invoice) is written in: its customer's, else its site's, else English."""

from django.conf import settings

LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)


def document_language(*choices: str | None) -> str:
    """The first of `choices` that is a language Timetill speaks (the customer's, then the site's…);
    the default language (settings.LANGUAGE_CODE) when none is."""
    return next((choice for choice in choices if choice in LANGUAGE_CODES), settings.LANGUAGE_CODE)
