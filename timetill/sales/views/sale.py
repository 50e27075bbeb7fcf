"""One sale at the till: its lines, stays, totals and payments, and every action on it (one service each).

Every action is an htmx POST answered with the sale's body (or a plain form post redirected to the page); a
TimetillError becomes a red message and, each service being one transaction, nothing has changed.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from timetill.customers.models import Customer
from timetill.customers.services import search_customers
from timetill.errors import NotFound, TimetillError
from timetill.formats import money, number
from timetill.sales import services, stays
from timetill.sales.forms import (
    AddLineForm,
    CustomerForm,
    DiscountForm,
    PaymentForm,
    RefundForm,
    StepForm,
)
from timetill.sales.payments import settle
from timetill.sales.receipt import receipt_of
from timetill.sales.views.common import Forms, act, answer, load_sale, sale_context, valid
from timetill.timelines.actors import Actor
from timetill.timelines.models import TimeLine
from timetill.web.views.common import Flash, track_time_required

# The add form's field for the field a service's refusal is about, so that the message shows beside it.
FORM_FIELD = {"quantity": "quantity", "unit_price": "unit_price", "variant_id": "item"}


@require_GET
@track_time_required
def sale(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "sales/sale.html", sale_context(load_sale(request, pk)))


@require_POST
@track_time_required
def add_line(request: HttpRequest, pk: int) -> HttpResponse:
    form = AddLineForm(request.POST, currency=load_sale(request, pk).currency)

    def run(actor: Actor) -> str:
        try:
            line = services.add_line(sale_id=pk, spec=valid(form).spec(), actor=actor)
        except TimetillError as error:
            # Said again beside the field it is about, in the form sent back as typed.
            if error.field in FORM_FIELD and form.is_bound and not form.errors:
                text = error.message
                if error.code == "confirm_large_line":  # a slip of the finger? The box to tick says no.
                    form.asks_confirmation = True
                    text = f"{text} {_('Tick “Yes, that many” to add them.')}"
                form.add_error(FORM_FIELD[error.field], text)
            raise
        return _("Added {quantity} × {name}.").format(quantity=number(line.quantity), name=line.short_name)

    return act(request, pk, run, kept=Forms(add=form))


@require_POST
@track_time_required
def remove_line(request: HttpRequest, pk: int, line: int) -> HttpResponse:
    def run(actor: Actor) -> str:
        services.remove_line(sale_id=pk, line_id=line, actor=actor)
        return _("Line removed.")

    return act(request, pk, run)


@require_POST
@track_time_required
def discount(request: HttpRequest, pk: int, line: int) -> HttpResponse:
    form = DiscountForm(request.POST)

    def run(actor: Actor) -> str:
        amounts = valid(form).amounts()
        changed = services.set_discount(sale_id=pk, line_id=line, actor=actor, **amounts)
        return (
            _("Discount of %(amount)s on %(product)s.")
            % {"amount": money(changed.discount, changed.sale.currency), "product": changed.short_name}
            if amounts
            else _("Discount removed.")
        )

    return act(request, pk, run)


@require_POST
@track_time_required
def change_step(request: HttpRequest, pk: int, line: int) -> HttpResponse:
    form = StepForm(request.POST)

    def run(actor: Actor) -> str:
        variant = valid(form).cleaned_data["variant"]
        changed = stays.change_step(sale_id=pk, line_id=line, variant_id=variant, actor=actor)
        step = changed.variant.label if changed.variant else _("another step")
        return _("%(product)s: now %(step)s.") % {"product": changed.short_name, "step": step}

    return act(request, pk, run)


@require_POST
@track_time_required
def set_customer(request: HttpRequest, pk: int) -> HttpResponse:
    form = CustomerForm(request.POST)

    def run(actor: Actor) -> str:
        customer_pk = valid(form).cleaned_data["customer"]
        customer = None
        if customer_pk is not None:
            customer = Customer.objects.filter(pk=customer_pk).first()
            if customer is None:
                raise NotFound("unknown_customer", _("No such customer."))
        services.set_customer(sale_id=pk, customer=customer, actor=actor)
        if customer is None:
            return _("Customer removed from the sale.")
        return _("The sale is for %(name)s.") % {"name": customer.name}

    return act(request, pk, run)


@require_GET
@track_time_required
def customer_search(request: HttpRequest, pk: int) -> HttpResponse:
    """Customers by name or code, each with a button making them the sale's customer."""
    query = request.GET.get("q", "")
    results = list(search_customers(query, limit=8))
    return render(
        request, "sales/_customer_results.html", {"sale_pk": pk, "query": query, "results": results}
    )


@require_POST
@track_time_required
def delete_sale(request: HttpRequest, pk: int) -> HttpResponse:
    """Throw away an empty sale opened by mistake, then back to the till's list of sales."""
    site = load_sale(request, pk).site
    try:
        services.delete_empty_sale(sale_id=pk, actor=Actor.for_user(request.user))
    except TimetillError as error:
        return answer(request, pk, Flash.of_error(error), status=error.status)
    messages.success(request, _("Empty sale {pk} deleted.").format(pk=pk))
    url = f"{reverse('sales')}?site={site.slug}"
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@require_POST
@track_time_required
def park(request: HttpRequest, pk: int) -> HttpResponse:
    def run(actor: Actor) -> str:
        services.park(sale_id=pk, actor=actor, at=timezone.now())
        return _("Sale parked: it waits on the till page.")

    return act(request, pk, run)


@require_POST
@track_time_required
def resume(request: HttpRequest, pk: int) -> HttpResponse:
    def run(actor: Actor) -> str:
        services.resume(sale_id=pk, actor=actor, at=timezone.now())
        return _("Sale taken back.")

    return act(request, pk, run)


@require_POST
@track_time_required
def stop_stay(request: HttpRequest, pk: int, stay: int) -> HttpResponse:
    """Check a stay of this sale out now: it stops and its priced line joins the sale (the family leaves)."""

    def run(actor: Actor) -> str:
        if not TimeLine.objects.filter(pk=stay, sale_stay__sale_id=pk).exists():
            raise NotFound("unknown_time_line", _("This stay is not on this sale."))
        stopped, line = stays.stop_and_price(time_line_id=stay, actor=actor, at=timezone.now())
        who = stopped.customer.name if stopped.customer else (stopped.scanned_code or stopped.code)
        if line is None:
            return _("%(who)s checked out.") % {"who": who}
        return _("%(who)s checked out: %(amount)s added.") % {
            "who": who,
            "amount": money(line.gross, line.sale.currency),
        }

    return act(request, pk, run)


@require_GET
@track_time_required
def pay_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """What the typed payments would give (change to hand back, or what is missing), before confirming."""
    current = load_sale(request, pk)
    form = PaymentForm(request.GET)
    context: dict = {"currency": current.currency}
    try:
        payments = valid(form).payments()
        if payments:
            context["settlement"] = settle(
                due=receipt_of(current).gross, payments=payments, currency_code=current.currency
            )
    except TimetillError as error:
        context["problem"] = error.message
    return render(request, "sales/_pay_preview.html", context)


@require_POST
@track_time_required
def pay(request: HttpRequest, pk: int) -> HttpResponse:
    """Close the sale with the payments typed in (or one method for the exact amount)."""
    form = PaymentForm(request.POST)

    def run(actor: Actor) -> str:
        closed = services.close_sale(
            sale_id=pk, payments=valid(form).payments(), actor=actor, at=timezone.now()
        )
        change = services.change_given(closed)
        title = receipt_of(closed).title
        if change:
            return _("%(title)s paid. Give %(amount)s change.") % {
                "title": title,
                "amount": money(change, closed.currency),
            }
        return _("%(title)s paid.") % {"title": title}

    return act(request, pk, run, kept=Forms(pay=form))


@require_POST
@track_time_required
def refund(request: HttpRequest, pk: int) -> HttpResponse:
    """Open the refund sale of a closed sale (everything, or the ticked lines and quantities)."""
    actor = Actor.for_user(request.user)
    try:
        original = services.get_sale(sale_id=pk, actor=actor)
        form = RefundForm(request.POST, line_ids=list(original.lines.values_list("pk", flat=True)))
        back = services.refund(sale_id=pk, items=valid(form).items(), actor=actor, at=timezone.now())
    except TimetillError as error:
        return answer(request, pk, Flash.of_error(error), status=error.status)
    messages.success(
        request,
        _("Refund of receipt %(number)s opened: pay the money back to close it.")
        % {"number": f"{original.number:06d}"},
    )
    url = reverse("sale", args=[back.pk])
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
