"""Pages: home redirect (each user's chosen page), the Timestamp page, the family page."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from timetill.accounts.services import home_url


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return redirect(home_url(request.user))


@login_required
def timestamp(request: HttpRequest) -> HttpResponse:
    return render(request, "web/timestamp.html", {})


@login_required
def family(request: HttpRequest) -> HttpResponse:
    return render(request, "web/family.html", {})
