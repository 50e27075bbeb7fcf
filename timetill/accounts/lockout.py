"""The answer to a login that django-axes locked out: a page that says why and for how long, and who helps."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def locked_out(
    request: HttpRequest, credentials: dict | None = None, *args: object, **kwargs: object
) -> HttpResponse:
    return render(
        request,
        "registration/locked_out.html",
        {"cooloff_minutes": settings.AXES_COOLOFF_MINUTES},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
