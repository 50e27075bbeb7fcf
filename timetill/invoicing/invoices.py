"""Verbs on invoices once drafted: issue (one, or a whole month), credit notes, payments, and balances."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from timetill.billing.frozen import seller_copy
from timetill.billing.language import document_language
from timetill.billing.money import check_amount, make_document_line, rounded, totals_of
from timetill.billing.numbering import BUSINESS, next_number
from timetill.billing.seller import seller_of
from timetill.errors import Conflict, NotFound, TimetillError
from timetill.invoicing.documents import breakdown_json, taxable
from timetill.invoicing.edocuments import freeze_credit_note, freeze_invoice
from timetill.invoicing.models import (
    BilledStay,
    CreditNote,
    CreditNoteLine,
    Invoice,
    InvoiceLine,
    InvoiceTerms,
    Payment,
)
from timetill.invoicing.month import Month
from timetill.sites.localtime import local_day_bounds
from timetill.sites.models import Site
from timetill.text import is_plain_text
from timetill.timelines.actors import Actor
from timetill.timelines.models import TimeLine

DEFAULT_PAYMENT_DAYS = 30
MAX_REASON = 500


def terms_of(site: Site) -> InvoiceTerms:
    """The site's invoice terms, or 30 days when none were set."""
    found = InvoiceTerms.objects.filter(site=site).first()
    return found or InvoiceTerms(site=site, payment_days=DEFAULT_PAYMENT_DAYS)


def seller_snapshot(site: Site) -> dict[str, str | int]:
    """What an invoice copies of its seller: the billing core's copy of the site's (else the business's)
    legal identity, and the payment days its due date was worked out with."""
    copy = seller_copy(seller_of(site), fallback_name=site.name)
    return {**copy.to_dict(), "payment_days": terms_of(site).payment_days}


def get_invoice(invoice_id: int, *, lock: bool = False) -> Invoice:
    invoices = Invoice.objects.select_related("site", "payer", "family")
    if lock:
        invoices = invoices.select_for_update(of=("self",))
    invoice = invoices.filter(pk=invoice_id).first()
    if invoice is None:
        raise NotFound("unknown_invoice", _("There is no invoice %(id)s.") % {"id": invoice_id})
    return invoice


# -- issuing -----------------------------------------------------------------------------------------------


def _check_issuable(invoice: Invoice) -> list[InvoiceLine]:
    if invoice.state == Invoice.State.ISSUED:
        raise Conflict(
            "already_issued",
            _("Invoice %(number)s is already issued: it cannot change.") % {"number": invoice.number},
        )
    lines = list(invoice.lines.all())
    if not lines:
        raise TimetillError("empty_invoice", _("This invoice has no line to issue."))
    blocked = [line for line in lines if line.blocks_issue]
    if blocked:
        raise TimetillError(
            "lines_to_review",
            _(
                "%(payer)s: %(line)s has a stay to review (%(note)s). Correct the stay and refresh the run, "
                "or accept the line as it is with a reason."
            )
            % {"payer": invoice.payer.name, "line": blocked[0].description, "note": blocked[0].review_note},
        )
    return lines


def _issue(invoice: Invoice, lines: list[InvoiceLine], *, actor: Actor, at: datetime) -> Invoice:
    site = invoice.site
    terms = terms_of(site)
    issue_date = at.astimezone(site.tz).date()
    invoice.state = Invoice.State.ISSUED
    invoice.issue_date = issue_date
    invoice.due_date = issue_date + timedelta(days=terms.payment_days)
    invoice.buyer_name = invoice.payer.name
    invoice.buyer_address = invoice.payer.address
    invoice.buyer_tax_code = invoice.payer.tax_code
    invoice.seller = seller_snapshot(site)
    invoice.language = document_language(invoice.payer.language, site.language)
    invoice.issued_at, invoice.issued_by = at, actor.user
    # What the seller's e-invoices need is checked now (a missing VAT id or codice fiscale refuses the issue).
    invoice.einvoice = freeze_invoice(invoice, lines)
    # Drawn last: the counter row stays locked only until this transaction ends (docs/billing.md).
    invoice.number = next_number(scope=BUSINESS, series="invoice", year=issue_date.year).text
    invoice.save()
    _mark_stays_invoiced(invoice, lines)
    return invoice


def _mark_stays_invoiced(invoice: Invoice, lines: list[InvoiceLine]) -> None:
    """The stays an issued extra-time line billed are invoiced: their times can no longer be corrected, and
    each is linked to the line (BilledStay, beside the frozen line), for the reports to say which invoice."""
    billed: list[BilledStay] = []
    for line in lines:
        if line.kind != InvoiceLine.Kind.EXTRA_TIME or line.child_id is None:
            continue
        start = local_day_bounds(line.period_start, invoice.site.tz)[0]
        end = local_day_bounds(line.period_end, invoice.site.tz)[1]
        stays = TimeLine.objects.filter(
            site=invoice.site, customer_id=line.child_id, start__lt=end, end__gt=start
        )
        # Each payer's share of a split child is a line of its own: every line links the stays it billed.
        billed.extend(
            BilledStay(invoice_line=line, time_line_id=pk) for pk in stays.values_list("pk", flat=True)
        )
        stays.filter(invoiced=False).update(invoiced=True)
    BilledStay.objects.bulk_create(billed, batch_size=1000)


@transaction.atomic
def issue_invoice(*, invoice_id: int, actor: Actor, at: datetime) -> Invoice:
    """Issue a draft: the next number of the invoice series, the issue date, the due date from the terms,
    the payer's and seller's details copied. Refused while a line has a stay to review."""
    actor.require("manage_invoicing")
    invoice = get_invoice(invoice_id, lock=True)
    lines = _check_issuable(invoice)
    return _issue(invoice, lines, actor=actor, at=at)


@dataclass(frozen=True)
class Issued:
    issued: tuple[Invoice, ...]
    refused: tuple[tuple[Invoice, str], ...]  # (draft, why)


def issue_month(*, site_id: int, month: Month, actor: Actor, at: datetime) -> Issued:
    """Issue every draft of a month (a whole run at once), in the order of the families' names; a draft
    with a line to review stays a draft and is listed with why."""
    actor.require("manage_invoicing")
    issued, refused = [], []
    drafts = Invoice.objects.filter(site_id=site_id, month=month.first, state=Invoice.State.DRAFT).order_by(
        "family__name", "payer__position", "pk"
    )
    for draft_id in drafts.values_list("pk", flat=True):
        try:
            issued.append(issue_invoice(invoice_id=draft_id, actor=actor, at=at))
        except TimetillError as error:
            refused.append((get_invoice(draft_id), error.message))
    return Issued(tuple(issued), tuple(refused))


# -- credit notes ------------------------------------------------------------------------------------------


def line_amount(line: InvoiceLine | CreditNoteLine, prices_include_vat: bool) -> Decimal:
    return line.gross if prices_include_vat else line.net


def credited(line: InvoiceLine) -> Decimal:
    """What credit notes already took back of a line, in its price basis."""
    field = "gross" if line.prices_include_vat else "net"
    return CreditNoteLine.objects.filter(invoice_line=line).aggregate(total=Sum(field))["total"] or Decimal(0)


@transaction.atomic
def credit_invoice(
    *, invoice_id: int, reason: str, amounts: dict[int, Decimal] | None = None, actor: Actor, at: datetime
) -> CreditNote:
    """A credit note of an issued invoice: of all that remains (amounts None), or of chosen lines and
    amounts ({line id: amount in the line's price basis}); never more than remains of a line."""
    actor.require("manage_invoicing")
    reason = (reason or "").strip()
    if not reason or len(reason) > MAX_REASON:
        raise TimetillError(
            "reason_required",
            _("Say why (at most %(n)d characters): a credit note states it.") % {"n": MAX_REASON},
        )
    invoice = get_invoice(invoice_id, lock=True)
    if invoice.state != Invoice.State.ISSUED:
        raise TimetillError(
            "not_issued", _("Only an issued invoice is corrected by a credit note; change the draft.")
        )
    lines = {line.pk: line for line in invoice.lines.all()}
    chosen: dict[int, Decimal] = {}
    if amounts is None:
        for line in lines.values():
            remaining = line_amount(line, line.prices_include_vat) - credited(line)
            if remaining > 0:
                chosen[line.pk] = remaining
        if not chosen:
            raise Conflict("nothing_left", _("Everything on this invoice was already credited."))
    else:
        if not amounts:
            raise TimetillError("no_line", _("Choose at least one line to credit."))
        for line_id, raw in amounts.items():
            line = lines.get(line_id)
            if line is None:
                raise NotFound("unknown_line", _("Line %(id)s is not on this invoice.") % {"id": line_id})
            amount = check_amount(raw, invoice.currency, "amount")
            remaining = line_amount(line, line.prices_include_vat) - credited(line)
            if amount <= 0:
                raise TimetillError("invalid_amount", _("A credited amount is more than zero."))
            if amount > remaining:
                raise Conflict(
                    "credit_above_remaining",
                    _("%(line)s: %(amount)s is more than what remains of it (%(remaining)s).")
                    % {"line": line.description, "amount": amount, "remaining": remaining},
                )
            chosen[line_id] = amount
    documents = [
        (
            lines[line_id],
            make_document_line(
                text=lines[line_id].description,
                quantity=Decimal(1),
                unit_price=amount,
                vat_spec=taxable(lines[line_id]).vat_spec,
                prices_include_vat=lines[line_id].prices_include_vat,
                currency=invoice.currency,
            ),
        )
        for line_id, amount in chosen.items()
    ]
    totals = totals_of([document for _line, document in documents], invoice.currency)
    issue_date = at.astimezone(invoice.site.tz).date()
    note = CreditNote(
        invoice=invoice,
        issue_date=issue_date,
        reason=reason,
        currency=invoice.currency,
        net=totals.net,
        vat=totals.vat,
        gross=totals.gross,
        vat_breakdown=breakdown_json(totals.by_rate),
        created_at=at,
        created_by=actor.user,
    )
    note.einvoice = freeze_credit_note(note)
    note.number = next_number(scope=BUSINESS, series="credit_note", year=issue_date.year).text
    note.save()
    CreditNoteLine.objects.bulk_create(
        CreditNoteLine(
            credit_note=note,
            invoice_line=line,
            position=i,
            description=document.text[:300],
            vat_rate=document.vat_spec.rate,
            net=document.net,
            vat=document.vat,
            gross=document.gross,
        )
        for i, (line, document) in enumerate(documents, 1)
    )
    return note


# -- payments and balances ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Balance:
    """What a payer or a family owes: due in all, of which overdue (past the due date)."""

    invoiced: Decimal
    credited: Decimal
    paid: Decimal
    due: Decimal
    overdue: Decimal


def invoice_due(invoice: Invoice) -> Decimal:
    credited_total = invoice.credit_notes.aggregate(total=Sum("gross"))["total"] or Decimal(0)
    paid = invoice.payments.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    return invoice.gross - credited_total - paid


def payment_state(invoice: Invoice) -> str:
    """draft, issued, partly_paid or paid: worked out from payments and credit notes, never stored."""
    if invoice.state == Invoice.State.DRAFT:
        return "draft"
    due = invoice_due(invoice)
    if due <= 0:
        return "paid"
    return "partly_paid" if invoice.payments.exists() else "issued"


@transaction.atomic
def record_payment(
    *,
    invoice_id: int,
    method: str,
    amount: Decimal,
    paid_on: date,
    reference: str = "",
    actor: Actor,
    at: datetime,
) -> Payment:
    actor.require("manage_invoicing")
    invoice = get_invoice(invoice_id, lock=True)
    if invoice.state != Invoice.State.ISSUED:
        raise TimetillError("not_issued", _("A payment is recorded against an issued invoice."))
    if method not in Payment.Method.values:
        raise TimetillError(
            "invalid_method",
            _("%(method)r is not a payment method (%(known)s).")
            % {"method": method, "known": ", ".join(Payment.Method.values)},
        )
    amount = check_amount(amount, invoice.currency, "amount")
    if amount <= 0:
        raise TimetillError("invalid_amount", _("A payment is more than zero."))
    due = invoice_due(invoice)
    if amount > due:
        raise Conflict(
            "payment_above_due",
            _("%(amount)s is more than what is due on %(number)s (%(due)s).")
            % {"amount": amount, "number": invoice.number, "due": due},
        )
    reference = (reference or "").strip()
    if len(reference) > 100 or not is_plain_text(reference):
        raise TimetillError("invalid_reference", _("A reference is at most 100 printable characters."))
    return Payment.objects.create(
        invoice=invoice,
        method=method,
        amount=amount,
        paid_on=paid_on,
        reference=reference,
        recorded_at=at,
        recorded_by=actor.user,
    )


def balance_of(invoices, *, today: date, currency: str = "EUR") -> Balance:
    """The balance of these issued invoices (a family's, or a payer's)."""
    invoiced = credited_total = paid = overdue = Decimal(0)
    for invoice in invoices.filter(state=Invoice.State.ISSUED).prefetch_related("credit_notes", "payments"):
        credit = sum((c.gross for c in invoice.credit_notes.all()), Decimal(0))
        payments = sum((p.amount for p in invoice.payments.all()), Decimal(0))
        invoiced += invoice.gross
        credited_total += credit
        paid += payments
        if invoice.due_date and invoice.due_date < today:
            overdue += invoice.gross - credit - payments
    due = invoiced - credited_total - paid
    return Balance(
        *(rounded(v, currency) for v in (invoiced, credited_total, paid, due, max(overdue, Decimal(0))))
    )
