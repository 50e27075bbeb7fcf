"""A line added by hand to a draft invoice: a simple product at its price, or a Daily Time product at an
amount typed by hand (outside a package it cannot price itself)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from timetill.billing.money import BillingError, check_amount, make_document_line, quantum
from timetill.catalog.models import Product
from timetill.errors import NotFound, TimetillError
from timetill.invoicing.documents import save_lines, vat_spec_of
from timetill.invoicing.invoices import get_invoice
from timetill.invoicing.models import FamilyChild, Invoice, InvoiceLine
from timetill.text import is_plain_text
from timetill.timelines.actors import Actor

MAX_QUANTITY = Decimal(1000)
MAX_AMOUNT = Decimal(100_000)


class ManualLineError(TimetillError):
    """A refused line, with the field it is about (a form shows the message beside it)."""

    def __init__(self, code: str, message: str, *, field: str) -> None:
        super().__init__(code, message)
        self.field = field


def _quantity(raw: object) -> Decimal:
    try:
        quantity = Decimal(str(raw).strip().replace(",", "."))
    except InvalidOperation:
        quantity = Decimal(-1)
    if not quantity.is_finite() or not 0 < quantity <= MAX_QUANTITY or quantity.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ManualLineError(
            "invalid_quantity",
            _("The quantity is a number above 0 and at most %(max)s, with two decimals at most.")
            % {"max": MAX_QUANTITY},
            field="quantity",
        )
    return quantity


def _typed_amount(raw: object, currency: str) -> Decimal:
    text = "" if raw is None else str(raw).strip().replace(",", ".")
    if not text:
        raise ManualLineError(
            "amount_required",
            _("Type the amount: a Daily Time product added by hand is not priced from the stays."),
            field="amount",
        )
    try:
        amount = check_amount(Decimal(text) if text else Decimal(0), currency, "amount")
    except (BillingError, InvalidOperation):
        raise ManualLineError(
            "invalid_amount",
            _("%(text)s is not an amount in %(currency)s (%(n)d decimals at most, e.g. 12.50).")
            % {"text": text, "currency": currency, "n": -quantum(currency).as_tuple().exponent},
            field="amount",
        ) from None
    if not 0 < amount <= MAX_AMOUNT:
        raise ManualLineError(
            "invalid_amount",
            _("The amount is more than zero and at most %(max)s.") % {"max": MAX_AMOUNT},
            field="amount",
        )
    return amount


@transaction.atomic
def add_manual_line(
    *,
    invoice_id: int,
    product_id: int,
    quantity: object = 1,
    amount: object = None,
    description: str = "",
    child_id: int | None = None,
    actor: Actor,
) -> InvoiceLine:
    """Add a line to a draft: a simple product at its price × quantity, or a Daily Time product at the
    amount typed (quantity 1); the draft's totals are worked out again. Issued invoices refuse it."""
    actor.require("manage_invoicing")
    invoice = get_invoice(invoice_id, lock=True)
    if invoice.state != Invoice.State.DRAFT:
        raise ManualLineError(
            "already_issued",
            _("Invoice %(number)s is issued: it cannot change; correct it with a credit note.")
            % {"number": invoice.number},
            field="__all__",
        )
    product = Product.objects.select_related("vat_rate").filter(pk=product_id, archived=False).first()
    if product is None:
        raise NotFound("unknown_product", _("Choose a product of the catalogue."))
    if product.kind == Product.Kind.DAILY_TIME:
        unit_price, quantity = _typed_amount(amount, invoice.currency), Decimal(1)
    elif product.kind == Product.Kind.SIMPLE:
        unit_price, quantity = product.price or Decimal(0), _quantity(quantity)
    else:
        raise ManualLineError(
            "not_by_hand",
            _("%(product)s is priced from a stay: add a simple or a Daily Time product.")
            % {"product": product.short_name},
            field="product",
        )
    text = (description or "").strip() or product.short_name
    if len(text) > 300 or not is_plain_text(text):
        raise ManualLineError(
            "invalid_description", _("The text is at most 300 printable characters."), field="description"
        )
    if (
        child_id is not None
        and not FamilyChild.objects.filter(customer_id=child_id, family_id=invoice.family_id).exists()
    ):
        raise ManualLineError("unknown_child", _("Choose a child of this family."), field="child")
    document = make_document_line(
        text=text,
        quantity=quantity,
        unit_price=unit_price,
        vat_spec=vat_spec_of(product),
        prices_include_vat=product.prices_include_vat,
        currency=invoice.currency,
    )
    (line,) = save_lines(
        invoice,
        [
            {
                "document": document,
                "payer": invoice.payer,
                "kind": InvoiceLine.Kind.MANUAL,
                "child_id": child_id,
                "product": product,
            }
        ],
    )
    return line
