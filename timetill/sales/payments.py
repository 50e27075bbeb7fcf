"""How payments settle an amount due: checked amounts, cash change, refunds paid back exactly."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from timetill.billing.money import check_amount, quantum
from timetill.errors import TimetillError
from timetill.formats import money
from timetill.sales.models import Payment

MAX_PAYMENTS = 20


@dataclass(frozen=True)
class PaymentSpec:
    """A payment as taken: cash handed over (change is worked out), a card slip, or another method."""

    method: str
    amount: Decimal


@dataclass(frozen=True)
class Settlement:
    """What paying `due` with some payments gives: the payment rows (not saved), what they pay, the change."""

    due: Decimal
    paid: Decimal
    change: Decimal
    rows: tuple[Payment, ...]


def checked_payments(
    payments: Sequence[PaymentSpec], currency_code: str, *, refund: bool
) -> list[PaymentSpec]:
    if len(payments) > MAX_PAYMENTS:
        raise TimetillError(
            "too_many_payments",
            _("At most {count} payments for one sale.").format(count=MAX_PAYMENTS),
            field="payments",
        )
    out = []
    for i, p in enumerate(payments):
        if p.method not in Payment.Method.values:
            raise TimetillError(
                "invalid_payment_method",
                _("“{method}” is not a way to pay here: {methods}.").format(
                    method=str(p.method)[:40],
                    methods=", ".join(str(label) for label in Payment.Method.labels),
                ),
                field=f"payments[{i}].method",
            )
        out.append(PaymentSpec(p.method, _checked_amount(p, currency_code, refund=refund, position=i)))
    return out


def _checked_amount(payment: PaymentSpec, currency_code: str, *, refund: bool, position: int = 0) -> Decimal:
    """One payment's amount, refused in the cashier's words: which method, what is wrong with it."""
    field = f"payments[{position}].amount"
    method = Payment.Method(payment.method).label
    try:
        value = Decimal(payment.amount)
    except (InvalidOperation, TypeError, ValueError):
        value = Decimal("NaN")
    if value.is_finite() and value != value.quantize(quantum(currency_code)):
        raise TimetillError(
            "too_many_decimals",
            _("{method}: {amount} has too many decimals: at most {digits}.").format(
                method=method,
                amount=money(value, currency_code),
                digits=-quantum(currency_code).as_tuple().exponent,
            ),
            field=field,
        )
    if not value.is_finite():
        raise TimetillError(
            "invalid_payment",
            _("{method}: type an amount, such as 12.50.").format(method=method),
            field=field,
        )
    amount = check_amount(value, currency_code, method)
    if amount == 0 or (amount < 0) != refund:
        text = (
            _("The {method} amount is money paid back: type it as a negative amount.")
            if refund
            else _("The {method} amount must be more than zero.")
        )
        raise TimetillError("invalid_payment", text.format(method=method.lower()), field=field)
    return amount


def settle(*, due: Decimal, payments: Sequence[PaymentSpec], currency_code: str) -> Settlement:
    """The payment rows that pay `due` (a refund pays back exactly); underpaid or overpaid is refused."""
    taken = checked_payments(payments, currency_code, refund=due < 0)
    total = sum((p.amount for p in taken), Decimal(0))
    rows = []
    given = Decimal(0)
    if due < 0:
        if total != due:
            raise TimetillError(
                "refund_mismatch",
                _("Pay back exactly {due}, not {total}.").format(
                    due=money(-due, currency_code), total=money(-total, currency_code)
                ),
            )
        rows = [Payment(method=p.method, amount=p.amount) for p in taken]
    else:
        if total < due:
            raise TimetillError(
                "underpaid",
                _("{missing} is still missing: {paid} paid, {due} due.").format(
                    missing=money(due - total, currency_code),
                    paid=money(total, currency_code),
                    due=money(due, currency_code),
                ),
            )
        change = given = total - due
        cash = sum((p.amount for p in taken if p.method == Payment.Method.CASH), Decimal(0))
        if change > cash:
            raise TimetillError(
                "overpaid",
                _("{change} too much: only cash can be more than due (the change is given in cash).").format(
                    change=money(change, currency_code)
                ),
            )
        # Change comes out of the last cash payments first.
        for p in reversed(taken):
            if p.method == Payment.Method.CASH:
                back = min(change, p.amount)
                change -= back
                rows.append(Payment(method=p.method, amount=p.amount - back, tendered=p.amount, change=back))
            else:
                rows.append(Payment(method=p.method, amount=p.amount))
        rows.reverse()
    return Settlement(due=due, paid=total, change=given, rows=tuple(rows))
