"""The till page: a site's open and parked sales, today's closed ones, and the button that opens a sale."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from timetill.errors import TimetillError
from timetill.sales import services
from timetill.sales.till import closed_today, waiting_sales
from timetill.sites.models import Site
from timetill.timelines.actors import Actor
from timetill.web.views.common import choose_site, track_time_required


@require_GET
@track_time_required
def sales(request: HttpRequest) -> HttpResponse:
    site = choose_site(request, request.GET.get("site"))
    actor = Actor.for_user(request.user)
    now = timezone.now()
    open_rows, parked_rows = waiting_sales(site=site, actor=actor)
    closed = closed_today(site=site, actor=actor, now=now)
    return render(
        request,
        "sales/till.html",
        {
            "site": site,
            "sites": Site.objects.order_by("name"),
            "tz": site.time_zone,
            "open_rows": open_rows,
            "parked_rows": parked_rows,
            "closed_rows": closed,
            "now": now,
            "page": "sales",
        },
    )


@require_POST
@track_time_required
def new_sale(request: HttpRequest) -> HttpResponse:
    site = choose_site(request, request.POST.get("site"))
    try:
        sale = services.open_sale(site=site, actor=Actor.for_user(request.user), at=timezone.now())
    except TimetillError as error:
        messages.error(request, error.message)
        return redirect(f"{reverse('sales')}?site={site.slug}")
    return redirect("sale", pk=sale.pk)
