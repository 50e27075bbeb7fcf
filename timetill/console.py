"""The language a command speaks: the shell's (LANGUAGE, LC_ALL, LC_MESSAGES, LANG), else the site default."""

import os

from django.conf import settings
from django.utils.translation import get_supported_language_variant

# The variables POSIX reads for the language of messages, in the order it reads them.
_LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def console_language(environ: dict[str, str] | None = None) -> str:
    """ "fr_FR.UTF-8" → "fr", "it_IT" → "it"; English ("C", "POSIX", a language Timetill lacks) otherwise."""
    environ = os.environ if environ is None else environ
    for variable in _LOCALE_VARIABLES:
        for wanted in environ.get(variable, "").split(":"):  # LANGUAGE is a list: "fr:en"
            code = wanted.split(".")[0].split("@")[0].replace("_", "-").lower()
            if not code or code in ("c", "posix"):
                continue
            try:
                return get_supported_language_variant(code)
            except LookupError:
                continue
        if environ.get(variable):
            break  # the first variable set decides, as for any other program
    return settings.LANGUAGE_CODE
