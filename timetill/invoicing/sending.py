"""E-mailing issued invoices with their PDF to their payer, one or a whole month; what was sent is kept."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from timetill.errors import TimetillError
from timetill.formats import money
from timetill.invoicing.documents import language_of
from timetill.invoicing.invoices import get_invoice, terms_of
from timetill.invoicing.models import Invoice, Sending
from timetill.invoicing.month import Month
from timetill.invoicing.pdf import render_invoice
from timetill.timelines.actors import Actor


def recipients(invoice: Invoice) -> list[str]:
    """The payer's e-mail address, and their login's if it differs: each payer gets only their own."""
    found = [invoice.payer.email]
    if invoice.payer.user is not None:
        found.append(invoice.payer.user.email)
    return list(dict.fromkeys(address for address in found if address))


def pdf_name(invoice: Invoice) -> str:
    return f"{invoice.number or 'draft-' + str(invoice.pk)}.pdf"


@transaction.atomic
def send_invoice(*, invoice_id: int, actor: Actor, at: datetime) -> Sending:
    actor.require("manage_invoicing")
    invoice = get_invoice(invoice_id)
    if invoice.state != Invoice.State.ISSUED:
        raise TimetillError("not_issued", _("Only an issued invoice is sent."))
    to = recipients(invoice)
    if not to:
        raise TimetillError(
            "no_email",
            _("%(payer)s has no e-mail address: add one to the payer.") % {"payer": invoice.payer.name},
        )
    # The e-mail and its PDF in the invoice's language (its payer's).
    with translation.override(language_of(invoice)):
        terms = terms_of(invoice.site)
        subject = _("Invoice %(number)s from %(seller)s") % {
            "number": invoice.number,
            "seller": invoice.seller.get("legal_name") or invoice.site.name,
        }
        body = _(
            "Hello %(payer)s,\n\nPlease find attached invoice %(number)s of %(amount)s, due by %(due)s.\n"
            "The day-by-day detail of the extra time is in its annex.\n\n%(seller)s"
        ) % {
            "payer": invoice.payer.name,
            "number": invoice.number,
            "amount": money(invoice.gross, invoice.currency),  # "1 234,50 €" in French, as the PDF writes it
            "due": invoice.due_date.strftime("%d/%m/%Y"),
            "seller": invoice.seller.get("legal_name") or invoice.site.name,
        }
        message = EmailMessage(
            subject=subject, body=body, from_email=terms.email_from or settings.DEFAULT_FROM_EMAIL, to=to
        )
        name = pdf_name(invoice)
        message.attach(name, render_invoice(invoice), "application/pdf")
        message.send()
    return Sending.objects.create(
        invoice=invoice,
        to=", ".join(to),
        subject=subject[:200],
        attachment=name,
        sent_at=at,
        sent_by=actor.user,
    )


@dataclass(frozen=True)
class Sent:
    sent: tuple[Sending, ...]
    refused: tuple[tuple[Invoice, str], ...]


def send_month(*, site_id: int, month: Month, actor: Actor, at: datetime) -> Sent:
    """E-mail every issued invoice of a month not sent yet; those without an address are listed."""
    actor.require("manage_invoicing")
    sent, refused = [], []
    unsent = Invoice.objects.filter(
        site_id=site_id, month=month.first, state=Invoice.State.ISSUED, sendings__isnull=True
    ).order_by("number")
    for invoice_id in unsent.values_list("pk", flat=True):
        try:
            sent.append(send_invoice(invoice_id=invoice_id, actor=actor, at=at))
        except TimetillError as error:
            refused.append((get_invoice(invoice_id), error.message))
    return Sent(tuple(sent), tuple(refused))
