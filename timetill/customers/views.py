"""Pages of customers: the printable cards with their codes."""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from timetill.customers.cards import cards_for
from timetill.customers.models import Customer

MAX_CARDS = 500


@login_required
@permission_required("accounts.track_time", raise_exception=True)
def printable_cards(request: HttpRequest) -> HttpResponse:
    customers = Customer.objects.order_by("name")
    group = request.GET.get("group", "").strip()
    if group:
        customers = customers.filter(group__name=group)
    return render(
        request, "customers/cards.html", {"cards": cards_for(customers[:MAX_CARDS]), "group": group}
    )
