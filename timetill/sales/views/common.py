"""What the till's views share: the sale as its page shows it, and the answer after an action."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django_htmx.http import reswap, retarget

from timetill.catalog.models import Product, ProductVariant
from timetill.errors import TimetillError
from timetill.sales.forms import AddLineForm, PaymentForm, first_error, sellable_items
from timetill.sales.models import Payment, Sale
from timetill.sales.receipt import ReceiptLine, receipt_of
from timetill.sales.services import get_sale
from timetill.sales.till import left_to_refund
from timetill.timelines.actors import Actor
from timetill.web.board import hours_minutes
from timetill.web.views.common import Flash

METHODS = dict(Payment.Method.choices)  # the labels, translated when shown
QUICK_ITEMS = 12  # one tap each on a tablet; the rest are in the list


@dataclass(frozen=True)
class LineView:
    """A line of the sale page: the receipt's line, the ladder steps it may take, what is left to refund."""

    line: ReceiptLine
    steps: tuple[ProductVariant, ...] = ()
    left: Decimal | None = None

    @property
    def has_discount(self) -> bool:
        return self.line.discount != 0


@dataclass(frozen=True)
class StayView:
    """A time line linked to the sale: who, since when, and whether it still runs."""

    pk: int
    who: str
    start: datetime
    end: datetime | None
    length: str

    @property
    def running(self) -> bool:
        return self.end is None


@dataclass
class Forms:
    """The forms of the sale page; after a refused action the one that was sent comes back as typed."""

    add: forms.Form | None = None
    pay: forms.Form | None = None


def _ladder_steps(lines: tuple[ReceiptLine, ...]) -> dict[int, tuple[ProductVariant, ...]]:
    ids = {line.product_id for line in lines if line.explanation and line.product_id is not None}
    ladders = Product.objects.filter(pk__in=ids, kind=Product.Kind.LADDER).prefetch_related("variants")
    return {product.pk: tuple(product.variants.all()) for product in ladders}


def sale_context(sale: Sale, *, flash: Flash | None = None, kept: Forms | None = None) -> dict:
    """What the sale page shows: the receipt, ladder steps, stays, what is left to refund, the forms."""
    receipt = receipt_of(sale)
    steps = _ladder_steps(receipt.lines) if not sale.is_closed else {}
    left = left_to_refund(sale) if sale.is_closed and not sale.is_refund else {}
    lines = [
        LineView(line, steps.get(line.product_id, ()) if line.explanation else (), left.get(line.id))
        for line in receipt.lines
    ]
    now = timezone.now()
    stays = [
        StayView(
            pk=stay.pk,
            who=stay.customer.name if stay.customer else (stay.scanned_code or stay.code),
            start=stay.start,
            end=stay.end,
            length=hours_minutes((stay.end or now) - stay.start),
        )
        for stay in sale.time_lines.select_related("customer").order_by("start", "pk")
    ]
    kept = kept or Forms()
    items = sellable_items(sale.currency) if not sale.is_closed else []
    return {
        "sale": sale,
        "receipt": receipt,
        "site": sale.site,
        "tz": sale.site.time_zone,
        "lines": lines,
        "stays": stays,
        "running": sum(1 for stay in stays if stay.running),
        # A sale opened by mistake: nothing on it, never numbered (a refund always has lines).
        "deletable": not sale.is_closed and sale.number is None and not lines and not sale.payments.exists(),
        "flash": flash,
        "add_form": kept.add or AddLineForm(items=items, currency=sale.currency),
        "pay_form": kept.pay or PaymentForm(),
        "quick_items": [item for item in items if not item.by_hand][:QUICK_ITEMS],
        "refunds": list(sale.refunds.order_by("pk")) if sale.is_closed else [],
        "refundable": any(view.left for view in lines),
        "methods": METHODS,
        "paying_back": receipt.gross < 0,
        "due_back": -receipt.gross,
        "page": "sales",
    }


def load_sale(request: HttpRequest, pk: int) -> Sale:
    try:
        return get_sale(sale_id=pk, actor=Actor.for_user(request.user))
    except TimetillError as error:
        raise Http404(error.message) from error


def answer(
    request: HttpRequest, pk: int, flash: Flash, *, status: int = 200, kept: Forms | None = None
) -> HttpResponse:
    """The sale after an action: its body for htmx; a plain form post goes back to the page with it."""
    if not request.htmx:
        level = {"ok": messages.SUCCESS, "warn": messages.WARNING}.get(flash.kind, messages.ERROR)
        messages.add_message(request, level, flash.text)
        return redirect(reverse("sale", args=[pk]))
    try:
        sale = get_sale(sale_id=pk, actor=Actor.for_user(request.user))
    except TimetillError as error:
        # No sale to show (a wrong address): the message alone, where the page shows its messages.
        response = render(request, "web/_flash.html", {"flash": Flash.of_error(error)}, status=error.status)
        return reswap(retarget(response, "#flash"), "outerHTML")
    return render(request, "sales/_sale.html", sale_context(sale, flash=flash, kept=kept), status=status)


class Refused(TimetillError):
    """A form that does not read (not a number, a missing choice): a red message like a service's refusal."""

    def __init__(self, form: forms.Form) -> None:
        super().__init__("invalid_input", first_error(form))


def valid(form: forms.Form) -> forms.Form:
    if not form.is_valid():
        raise Refused(form)
    return form


def act(
    request: HttpRequest, pk: int, action: Callable[[Actor], str], *, kept: Forms | None = None
) -> HttpResponse:
    """Run one service through `action` (which says what was done); a refusal is a red message, no change."""
    try:
        done = action(Actor.for_user(request.user))
    except TimetillError as error:
        return answer(request, pk, Flash.of_error(error), status=error.status, kept=kept)
    return answer(request, pk, Flash("ok", done))
