"""The office's forms on invoices and families: record a payment, issue a credit note, add a line by hand to
a draft, create and edit a family with its payers, shares and children."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from timetill.customers.services import create_customer
from timetill.errors import TimetillError
from timetill.formats import money
from timetill.invoicing import families as family_services
from timetill.invoicing import invoices
from timetill.invoicing.forms import CreditNoteForm, FamilyForm, ManualLineForm, PaymentForm
from timetill.invoicing.manual import ManualLineError, add_manual_line
from timetill.invoicing.models import Family, Invoice
from timetill.invoicing.views.pages import manage_invoicing_required, site_of
from timetill.sites.models import Site
from timetill.timelines.actors import Actor

# Which form field a service's refusal is about, so the message shows beside it.
PAYMENT_FIELDS = {
    "invalid_method": "method",
    "invalid_amount": "amount",
    "too_many_decimals": "amount",
    "payment_above_due": "amount",
    "invalid_reference": "reference",
}
FAMILY_FIELDS = {"unknown_user": "payer1_username", "child_in_family": "add_children"}


def _invoice(pk: int) -> Invoice:
    invoice = Invoice.objects.filter(pk=pk).select_related("site", "family", "payer").first()
    if invoice is None:
        raise Http404(_("There is no such invoice."))
    return invoice


def _invoice_url(invoice: Invoice) -> str:
    return reverse("invoicing-invoice", args=[invoice.pk])


def _family_balance(invoice: Invoice) -> invoices.Balance:
    today = timezone.now().astimezone(invoice.site.tz).date()
    return invoices.balance_of(
        Invoice.objects.filter(family=invoice.family), today=today, currency=invoice.currency
    )


@manage_invoicing_required
def record_payment(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = _invoice(pk)
    if invoice.state != Invoice.State.ISSUED:
        messages.error(request, _("A payment is recorded against an issued invoice: issue this one first."))
        return redirect(_invoice_url(invoice))
    due = invoices.invoice_due(invoice)
    today = timezone.now().astimezone(invoice.site.tz).date()
    form = PaymentForm(
        request.POST or None,
        currency=invoice.currency,
        due=due,
        initial={"paid_on": today, "amount": f"{due:.2f}"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            payment = invoices.record_payment(
                invoice_id=invoice.pk,
                method=form.cleaned_data["method"],
                amount=form.cleaned_data["amount"],
                paid_on=form.cleaned_data["paid_on"],
                reference=form.cleaned_data["reference"],
                actor=Actor.for_user(request.user),
                at=timezone.now(),
            )
        except TimetillError as error:
            form.add_error(PAYMENT_FIELDS.get(error.code), error.message)
        else:
            messages.success(
                request,
                _("%(amount)s paid by %(method)s recorded on %(number)s.")
                % {
                    "amount": money(payment.amount, invoice.currency),
                    "method": payment.get_method_display().lower(),
                    "number": invoice.number,
                },
            )
            return redirect(_invoice_url(invoice))
    return render(
        request,
        "invoicing/payment.html",
        {
            "page": "invoicing",
            "invoice": invoice,
            "form": form,
            "due": due,
            "balance": _family_balance(invoice),
            "payments": invoice.payments.all(),
        },
        status=400 if form.errors else 200,
    )


@manage_invoicing_required
def credit_note(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = _invoice(pk)
    if invoice.state != Invoice.State.ISSUED:
        messages.error(request, _("Only an issued invoice is corrected by a credit note; change the draft."))
        return redirect(_invoice_url(invoice))
    lines = [
        (line, invoices.line_amount(line, line.prices_include_vat) - invoices.credited(line))
        for line in invoice.lines.all()
    ]
    form = CreditNoteForm(request.POST or None, lines=lines, currency=invoice.currency)
    if request.method == "POST" and form.is_valid():
        try:
            note = invoices.credit_invoice(
                invoice_id=invoice.pk,
                reason=form.cleaned_data["reason"],
                amounts=form.cleaned_data["amounts"],
                actor=Actor.for_user(request.user),
                at=timezone.now(),
            )
        except TimetillError as error:
            form.add_error("reason" if error.code == "reason_required" else None, error.message)
        else:
            messages.success(
                request,
                _("Credit note %(number)s issued: %(amount)s.")
                % {"number": note.number, "amount": money(note.gross, note.currency)},
            )
            return redirect(_invoice_url(invoice))
    return render(
        request,
        "invoicing/credit_note.html",
        {
            "page": "invoicing",
            "invoice": invoice,
            "form": form,
            "remaining": sum((r for _l, r in lines), Decimal(0)),
            "notes": invoice.credit_notes.all(),
        },
        status=400 if form.errors else 200,
    )


@manage_invoicing_required
def add_line(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = _invoice(pk)
    if invoice.state != Invoice.State.DRAFT:
        messages.error(request, _("An issued invoice never changes: correct it with a credit note."))
        return redirect(_invoice_url(invoice))
    children = [link.customer for link in invoice.family.children.select_related("customer")]
    form = ManualLineForm(request.POST or None, children=children)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            line = add_manual_line(
                invoice_id=invoice.pk,
                product_id=data["product"].pk,
                quantity=data["quantity"] or "1",
                amount=data["amount"],
                description=data["description"],
                child_id=int(data["child"]) if data["child"] else None,
                actor=Actor.for_user(request.user),
            )
        except ManualLineError as error:
            form.add_error(None if error.field == "__all__" else error.field, error.message)
        except TimetillError as error:
            form.add_error("product", error.message)
        else:
            messages.success(
                request,
                _("Line added: %(text)s, %(amount)s.")
                % {"text": line.description, "amount": money(line.gross, invoice.currency)},
            )
            return redirect(_invoice_url(invoice))
    return render(
        request,
        "invoicing/line_form.html",
        {"page": "invoicing", "invoice": invoice, "form": form},
        status=400 if form.errors else 200,
    )


# -- families ----------------------------------------------------------------------------------------------


def _payer_specs(data: dict) -> tuple[family_services.PayerSpec, ...]:
    specs = []
    for n in (1, 2):
        if n == 2 and not (data.get("payer2_name") or "").strip():
            continue
        specs.append(
            family_services.PayerSpec(
                name=data[f"payer{n}_name"],
                address=data[f"payer{n}_address"],
                tax_code=data[f"payer{n}_tax_code"],
                email=data[f"payer{n}_email"],
                username=data[f"payer{n}_username"] or None,
                country=data[f"payer{n}_country"],
                pec=data[f"payer{n}_pec"],
                language=data.get(f"payer{n}_language") or "",
            )
        )
    return tuple(specs)


def _initial(family: Family) -> dict:
    initial: dict = {"name": family.name}
    for n, payer in enumerate(family.payers.order_by("position", "pk"), 1):
        initial.update(
            {
                f"payer{n}_name": payer.name,
                f"payer{n}_address": payer.address,
                f"payer{n}_tax_code": payer.tax_code,
                f"payer{n}_email": payer.email,
                f"payer{n}_country": payer.country,
                f"payer{n}_pec": payer.pec,
                f"payer{n}_language": payer.language,
                f"payer{n}_username": payer.user.get_username() if payer.user else "",
            }
        )
    payers = list(family.payers.order_by("position", "pk"))
    for child in family.children.prefetch_related("shares"):
        for share in child.shares.all():
            position = next((i for i, p in enumerate(payers, 1) if p.pk == share.payer_id), None)
            if position:
                initial[f"share_{child.customer_id}_{position}"] = f"{share.percent.normalize():f}"
    return initial


def _save_family(form: FamilyForm, site: Site, family: Family | None, actor: Actor) -> Family:
    """Everything the form says in one transaction: a refusal leaves the family as it was."""
    data = form.cleaned_data
    with transaction.atomic():
        if family is None:
            family = family_services.create_family(
                site_id=site.pk, name=data["name"], payers=_payer_specs(data), actor=actor
            )
        else:
            family = family_services.update_family(
                family_id=family.pk, name=data["name"], payers=_payer_specs(data), actor=actor
            )
        for customer in data["add_children"]:
            family_services.add_child(family_id=family.pk, customer_id=customer.pk, actor=actor)
        for name in data["new_children"]:
            customer = create_customer(name=name)
            family_services.add_child(family_id=family.pk, customer_id=customer.pk, actor=actor)
        payer_ids = list(family.payers.order_by("position", "pk").values_list("pk", flat=True))
        for customer_id, values in data["shares"].items():
            shares = dict(zip(payer_ids, values, strict=True)) if values else {}
            family_services.set_shares(customer_id=customer_id, shares=shares, actor=actor)
    return family


def _family_form(request: HttpRequest, site: Site, family: Family | None) -> HttpResponse:
    children = list(family.children.select_related("customer")) if family else []
    form = FamilyForm(request.POST or None, children=children, initial=_initial(family) if family else None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = _save_family(form, site, family, Actor.for_user(request.user))
        except TimetillError as error:
            form.add_error(FAMILY_FIELDS.get(error.code), error.message)
        else:
            messages.success(request, _("The family %(name)s is saved.") % {"name": saved.name})
            return redirect(f"{reverse('invoicing-families')}?site={site.slug}#family-{saved.pk}")
    return render(
        request,
        "invoicing/family_form.html",
        {"page": "invoicing", "site": site, "family": family, "form": form},
        status=400 if form.errors else 200,
    )


@manage_invoicing_required
def new_family(request: HttpRequest) -> HttpResponse:
    return _family_form(request, site_of(request), None)


@manage_invoicing_required
def edit_family(request: HttpRequest, pk: int) -> HttpResponse:
    family = Family.objects.filter(pk=pk).select_related("site").first()
    if family is None:
        raise Http404(_("There is no such family."))
    return _family_form(request, family.site, family)
