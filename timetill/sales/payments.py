"""How payments settle an amount due: checked amounts, cash change, refunds paid back exactly."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from timetill.billing.money import check_amount
from timetill.errors import TimetillError
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
        raise TimetillError("too_many_payments", f"At most {MAX_PAYMENTS} payments.")
    out = []
    for i, p in enumerate(payments):
        if p.method not in Payment.Method.values:
            raise TimetillError(
                "invalid_payment_method",
                f"payments[{i}].method: {p.method!r} is not one of {', '.join(Payment.Method.values)}.",
            )
        amount = check_amount(p.amount, currency_code, f"payments[{i}].amount")
        if amount == 0 or (amount < 0) != refund:
            which = "negative (money paid back)" if refund else "positive"
            raise TimetillError("invalid_payment", f"payments[{i}].amount: must be {which}.")
        out.append(PaymentSpec(p.method, amount))
    return out


def settle(*, due: Decimal, payments: Sequence[PaymentSpec], currency_code: str) -> Settlement:
    """The payment rows that pay `due` (a refund pays back exactly); underpaid or overpaid is refused."""
    taken = checked_payments(payments, currency_code, refund=due < 0)
    total = sum((p.amount for p in taken), Decimal(0))
    rows = []
    given = Decimal(0)
    if due < 0:
        if total != due:
            raise TimetillError("refund_mismatch", f"Pay back exactly {-due}, not {-total}.")
        rows = [Payment(method=p.method, amount=p.amount) for p in taken]
    else:
        if total < due:
            raise TimetillError("underpaid", f"Paid {total}, due {due}: {due - total} missing.")
        change = given = total - due
        cash = sum((p.amount for p in taken if p.method == Payment.Method.CASH), Decimal(0))
        if change > cash:
            raise TimetillError(
                "overpaid", f"Paid {change} too much; only cash can be overpaid (for change)."
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
