"""The office's forms over HTTP: a payment with the family's balance, a credit note of the whole invoice or of
chosen lines, a line added by hand to a draft, and a family created and edited; each refusal is a message
beside its field with nothing changed, and only invoicing managers may use them."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.test import Client

from timetill.invoicing.invoices import issue_invoice
from timetill.invoicing.models import ChildShare, CreditNote, Family, Invoice, InvoiceLine, Payer, Payment
from timetill.invoicing.month import parse_month
from timetill.invoicing.run import run_month

from ..conftest import paris
from .conftest import OPERATOR

NOW = paris(2026, 11, 20, 10, 0)


def _errors(html: str) -> dict[str, str]:
    """Each field's message, as the page shows it beside the field."""
    found = {}
    for chunk in html.split('class="field-error" data-field="')[1:]:
        name, rest = chunk.split('">', 1)
        found[name] = rest.split("</small>", 1)[0]
    return found


@pytest.fixture
def draft(daycare, make_family, package, make_enrolment, product_week):
    _family, (lea,) = make_family("Martin")
    make_enrolment(lea, package, date(2026, 9, 1))
    product_week(lea)
    run_month(site_id=daycare.pk, month=parse_month("2026-11"), actor=OPERATOR, at=paris(2026, 11, 2, 9))
    return Invoice.objects.get()


@pytest.fixture
def issued(draft):
    return issue_invoice(invoice_id=draft.pk, actor=OPERATOR, at=paris(2026, 11, 3, 10))


def _office_urls(invoice_id: int, family_id: int) -> list[str]:
    return [
        f"/invoicing/invoices/{invoice_id}/payment/",
        f"/invoicing/invoices/{invoice_id}/credit-note/",
        f"/invoicing/invoices/{invoice_id}/lines/new/",
        "/invoicing/families/new/",
        f"/invoicing/families/{family_id}/edit/",
    ]


def test_only_invoicing_managers_open_or_post_the_office_forms(
    login, cashier, make_parent, make_customer, manager, issued
):
    parent = make_parent(make_customer("Kid"))
    for url in _office_urls(issued.pk, issued.family_id):
        assert Client().get(url).status_code == 302, url  # to the login page
        for user in (cashier, parent):
            assert login(user).get(url).status_code == 403, url
            assert login(user).post(url, {"method": "cash", "amount": "10", "name": "X"}).status_code == 403
        assert login(manager).get(url).status_code in (200, 302), url
    assert not Payment.objects.exists() and not CreditNote.objects.exists() and Family.objects.count() == 1


def test_record_a_payment_and_see_the_family_balance(login, manager, issued):
    client = login(manager)
    url = f"/invoicing/invoices/{issued.pk}/payment/"
    with time_machine.travel(NOW, tick=False):
        page = client.get(url).content.decode()
        assert "€478.00" in page  # due on the invoice, and for the family
        bad = client.post(url, {"method": "card", "amount": "12.345", "paid_on": "2026-11-20"})
        assert bad.status_code == 400
        assert _errors(bad.content.decode()) == {
            "amount": "EUR has 2 decimals at most: 12.345 is not an amount it can be paid in."
        }
        too_much = client.post(url, {"method": "card", "amount": "500", "paid_on": "2026-11-20"})
        assert _errors(too_much.content.decode()) == {
            "amount": "€500.00 is more than what is due on this invoice (€478.00)."
        }
        no_date = client.post(url, {"method": "cheque", "amount": "10", "paid_on": "soon"})
        assert set(_errors(no_date.content.decode())) == {"method", "paid_on"}
        assert not Payment.objects.exists()
        done = client.post(
            url, {"method": "transfer", "amount": "100,50", "paid_on": "2026-11-20", "reference": "VIR 42"}
        )
        assert done.status_code == 302
        page = client.get(done["Location"]).content.decode()
        assert "€100.50 paid by bank transfer recorded on F2026-000001." in page
        assert "Due: €377.50" in page
    payment = Payment.objects.get()
    assert (payment.method, payment.amount, payment.reference) == ("transfer", Decimal("100.50"), "VIR 42")
    # Past its due date, what is left is overdue.
    with time_machine.travel(paris(2026, 12, 10, 10, 0), tick=False):
        page = client.get(url).content.decode()
    assert page.count("€377.50") == 3  # this invoice, the family's due, of which overdue


def test_a_credit_note_of_chosen_lines_is_bounded_by_what_remains(login, manager, issued):
    client = login(manager)
    url = f"/invoicing/invoices/{issued.pk}/credit-note/"
    fee = issued.lines.get(kind="monthly")
    extra = issued.lines.get(kind="extra_time")
    above = client.post(url, {"scope": "lines", f"line_{extra.pk}": "40", "reason": "Wrong stay"})
    assert above.status_code == 400
    assert _errors(above.content.decode()) == {
        f"line_{extra.pk}": "40.00 is more than what remains of this line (38.00)."
    }
    nothing = client.post(url, {"scope": "lines", "reason": "Wrong stay"})
    assert _errors(nothing.content.decode()) == {
        "scope": "Type an amount beside at least one line, or credit the whole invoice."
    }
    no_reason = client.post(url, {"scope": "lines", f"line_{extra.pk}": "8"})
    assert _errors(no_reason.content.decode()) == {"reason": "Say why: the credit note states it."}
    assert not CreditNote.objects.exists()
    done = client.post(url, {"scope": "lines", f"line_{extra.pk}": "8", "reason": "Left at 16:00 on the 8th"})
    assert done.status_code == 302
    note = CreditNote.objects.get()
    assert (note.gross, [line.invoice_line_id for line in note.lines.all()]) == (Decimal("8.000"), [extra.pk])
    # What remains is 440 of the fee and 30 of the extra time: the whole invoice credits just that.
    page = client.get(url).content.decode()
    assert "At most €470.00 remains to credit" in page
    client.post(url, {"scope": "whole", "reason": "The family left"})
    second = CreditNote.objects.order_by("pk").last()
    assert second.gross == Decimal("470.000")
    assert {line.invoice_line_id: line.gross for line in second.lines.all()} == {
        fee.pk: Decimal("440.000"),
        extra.pk: Decimal("30.000"),
    }
    assert "Everything on this invoice was already credited." in client.get(url).content.decode()


def test_a_daily_time_product_added_by_hand_takes_the_amount_typed(login, manager, draft, products):
    client = login(manager)
    url = f"/invoicing/invoices/{draft.pk}/lines/new/"
    extra = products["extra"]
    missing = client.post(url, {"product": extra.pk, "quantity": "1", "amount": ""})
    assert _errors(missing.content.decode()) == {
        "amount": "Type the amount: a Daily Time product added by hand is not priced from the stays."
    }
    decimals = client.post(url, {"product": extra.pk, "amount": "4.555"})
    assert _errors(decimals.content.decode()) == {
        "amount": "4.555 is not an amount in EUR (2 decimals at most, e.g. 12.50)."
    }
    assert client.post(url, {"product": "999999"}).status_code == 400
    assert draft.lines.count() == 2
    done = client.post(url, {"product": extra.pk, "amount": "12.50", "description": "Extra Hours of 30/10"})
    assert done.status_code == 302
    line = draft.lines.get(kind=InvoiceLine.Kind.MANUAL)
    assert (line.description, line.quantity, line.unit_price, line.gross) == (
        "Extra Hours of 30/10",
        Decimal(1),
        Decimal("12.500"),
        Decimal("12.500"),
    )
    draft.refresh_from_db()
    assert draft.gross == Decimal("490.500")
    lunch = client.post(url, {"product": products["lunch"].pk, "quantity": "2"})
    assert lunch.status_code == 302
    assert draft.lines.filter(kind="manual").count() == 2
    # Refreshing the run keeps the lines added by hand.
    run_month(site_id=draft.site_id, month=parse_month("2026-11"), actor=OPERATOR, at=paris(2026, 11, 4, 9))
    assert draft.lines.filter(kind="manual").count() == 2


def test_an_issued_invoice_takes_no_line_by_hand(login, manager, issued, products):
    response = login(manager).post(
        f"/invoicing/invoices/{issued.pk}/lines/new/", {"product": products["lunch"].pk}, follow=True
    )
    assert "An issued invoice never changes: correct it with a credit note." in response.content.decode()
    assert issued.lines.count() == 2


def test_create_a_separated_family_then_split_its_child(login, manager, daycare, make_customer):
    client = login(manager)
    zoe = make_customer("Zoé Durand")
    url = f"/invoicing/families/new/?site={daycare.slug}"
    bad = client.post(url, {"site": daycare.slug, "name": "", "payer1_name": "", "payer2_email": "nope"})
    assert bad.status_code == 400
    assert _errors(bad.content.decode()) == {
        "name": "Give the family a name, e.g. Martin.",
        "payer1_name": "Who the invoices are made out to: a name is needed.",
        "payer2_email": "This is not an e-mail address, e.g. marc@example.org.",
    }
    assert not Family.objects.exists()
    data = {
        "site": daycare.slug,
        "name": "Durand",
        "payer1_name": "Anne Durand",
        "payer1_address": "3 rue Neuve\n69001 Lyon",
        "payer1_tax_code": "DRNNNA80A41F205X",
        "payer2_name": "Paul Petit",
        "add_children": [zoe.pk],
        "new_children": "Tom Durand",
    }
    done = client.post(url, data)
    assert done.status_code == 302
    family = Family.objects.get()
    assert [p.name for p in family.payers.order_by("position")] == ["Anne Durand", "Paul Petit"]
    assert sorted(c.customer.name for c in family.children.all()) == ["Tom Durand", "Zoé Durand"]
    edit = f"/invoicing/families/{family.pk}/edit/"
    form = {**data, "add_children": [], "new_children": ""}
    wrong = client.post(edit, {**form, f"share_{zoe.pk}_1": "60", f"share_{zoe.pk}_2": "30"})
    assert _errors(wrong.content.decode()) == {
        f"share_{zoe.pk}_2": "Zoé Durand: the shares add up to 90 %, not 100 %."
    }
    assert not ChildShare.objects.exists()
    client.post(
        edit, {**form, "payer1_address": "5 rue Neuve", f"share_{zoe.pk}_1": "50", f"share_{zoe.pk}_2": "50"}
    )
    assert sorted(ChildShare.objects.values_list("payer__name", "percent")) == [
        ("Anne Durand", Decimal("50.00")),
        ("Paul Petit", Decimal("50.00")),
    ]
    assert Payer.objects.get(name="Anne Durand").address == "5 rue Neuve"
    page = client.get(edit).content.decode()
    assert 'value="50"' in page and "DRNNNA80A41F205X" in page


def test_a_payer_with_invoices_cannot_be_removed(login, manager, issued):
    family = issued.family
    client = login(manager)
    response = client.post(
        f"/invoicing/families/{family.pk}/edit/",
        {"name": family.name, "payer1_name": "Someone else"},
    )
    assert response.status_code == 302  # the first payer is renamed, not removed
    assert family.payers.get().name == "Someone else"
    issued.refresh_from_db()
    assert issued.buyer_name == "Parent1 Martin"  # the issued invoice keeps its copy


@pytest.mark.parametrize(
    ("language", "due", "total"),
    [("fr", "Dû : 478,00\xa0€", "478,00\xa0€"), ("it", "Da pagare: €\xa0478,00", "€\xa0478,00")],
)
def test_the_office_pages_write_amounts_as_their_language_does(login, manager, issued, language, due, total):
    """The invoice, its payment and credit-note forms and the month write "478,00 €", never "478.00 EUR"."""
    client = login(manager)
    with time_machine.travel(NOW, tick=False):
        pages = {
            url: client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
            for url in (
                f"/invoicing/invoices/{issued.pk}/",
                f"/invoicing/invoices/{issued.pk}/payment/",
                f"/invoicing/invoices/{issued.pk}/credit-note/",
                f"/invoicing/?site={issued.site.slug}&month=2026-11",
            )
        }
    assert due in pages[f"/invoicing/invoices/{issued.pk}/"]
    for url, page in pages.items():
        assert total in page, url
        assert "EUR" not in page.replace('"EUR"', ""), url
