"""GET /bench/open-stays: the pending list's yardstick, the same open stays read as the Timestamp page reads
them (with their site, customer and group) and laid out by the same template engine, one row each, with
nothing worked out: no amount due, no warnings, no buttons."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from timetill.timelines.models import TimeLine


def ready(request: HttpRequest) -> HttpResponse:
    """What the benchmarks poll until gunicorn answers: nothing read, nothing built (the OpenAPI description,
    built on a worker's first request, took longer than gunicorn's worker timeout on a loaded machine)."""
    return HttpResponse("ok", content_type="text/plain")


@login_required
def open_stays(request: HttpRequest) -> HttpResponse:
    lines = TimeLine.objects.select_related("site", "customer", "customer__group").filter(
        site__slug=request.GET.get("site", ""), end__isnull=True
    )
    return render(request, "benchapp/open_stays.html", {"lines": lines.order_by("start", "pk")})
