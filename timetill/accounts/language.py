"""The language of a page: the logged-in person's preference, else what LocaleMiddleware chose."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from timetill.accounts.models import Profile

LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)


def preferred_language(user: object) -> str:
    """The language a user chose in their preferences, or "" (the browser's then)."""
    if not getattr(user, "is_authenticated", False):
        return ""
    # One small query per page; a user without a profile yet has no preference.
    language = Profile.objects.filter(user=user).values_list("language", flat=True).first() or ""
    return language if language in LANGUAGE_CODES else ""


class UserLanguageMiddleware:
    """After authentication: a logged-in user's chosen language wins over the cookie and Accept-Language.

    LocaleMiddleware (before it) has already activated the browser's language and adds Content-Language and
    `Vary: Accept-Language, Cookie` to the answer, which stay right: the session cookie names the user."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = preferred_language(getattr(request, "user", None))
        if language and language != getattr(request, "LANGUAGE_CODE", None):
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
