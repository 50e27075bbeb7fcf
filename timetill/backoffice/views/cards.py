"""Printable cards from the back office: one customer's card, or a sheet of A4 for a group or everyone."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from timetill.backoffice.access import manage_customers_required
from timetill.customers.cards import cards_for
from timetill.customers.models import Customer, CustomerGroup

MAX_CARDS = 500


@manage_customers_required
def printable_cards(request: HttpRequest) -> HttpResponse:
    customers = Customer.objects.order_by("name", "pk")
    customer = request.GET.get("customer", "")
    group = request.GET.get("group", "")
    if customer.isdigit():
        customers = customers.filter(pk=int(customer))
    elif group.isdigit():
        customers = customers.filter(group_id=int(group))
    layout = "one" if customer.isdigit() or request.GET.get("layout") == "one" else "sheet"
    context = {
        "cards": cards_for(customers[:MAX_CARDS]),
        "layout": layout,
        "groups": CustomerGroup.objects.order_by("name"),
        "group": group,
        "customer": customer,
    }
    return render(request, "backoffice/cards.html", context)
