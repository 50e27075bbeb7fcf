"""Issuing (numbers, dates, what is refused), credit notes within what remains, payments and balances."""

from datetime import date
from decimal import Decimal

import pytest

from timetill.billing.models import SellerIdentity
from timetill.billing.numbering import site_scope
from timetill.errors import TimetillError
from timetill.invoicing.invoices import (
    balance_of,
    credit_invoice,
    issue_invoice,
    issue_month,
    payment_state,
    record_payment,
)
from timetill.invoicing.models import CreditNote, Invoice, InvoiceTerms, Payment
from timetill.invoicing.month import parse_month
from timetill.invoicing.review import accept_line
from timetill.invoicing.run import run_month
from timetill.timelines.models import TimeLine

from ..conftest import paris
from .conftest import OPERATOR

NOVEMBER = parse_month("2026-11")
RUN_AT = paris(2026, 11, 2, 9, 0)
ISSUE_AT = paris(2026, 11, 3, 10, 0)


@pytest.fixture
def drafted(daycare, make_family, package, make_enrolment, product_week):
    SellerIdentity.objects.create(
        scope=site_scope(daycare.pk),
        site=daycare,
        legal_name="Les Lutins SAS",
        address="3 place de l'Église\n75011 Paris",
        vat_number="FR40303265045",
        iban="FR7630006000011234567890189",
    )
    InvoiceTerms.objects.create(site=daycare, payment_days=15)
    _family, (lea,) = make_family("Martin")
    make_enrolment(lea, package, date(2026, 9, 1))
    product_week(lea)
    run_month(site_id=daycare.pk, month=NOVEMBER, actor=OPERATOR, at=RUN_AT)
    return Invoice.objects.get()


def test_issuing_numbers_dates_and_copies_the_invoice(drafted):
    invoice = issue_invoice(invoice_id=drafted.pk, actor=OPERATOR, at=ISSUE_AT)
    assert (invoice.state, invoice.number) == ("issued", "F2026-000001")
    assert (invoice.issue_date, invoice.due_date) == (date(2026, 11, 3), date(2026, 11, 18))
    assert invoice.buyer_name == "Parent1 Martin" and invoice.buyer_address.startswith("12 rue des Lilas")
    assert invoice.seller["legal_name"] == "Les Lutins SAS" and invoice.seller["iban"].startswith("FR76")
    # The October stays it billed are invoiced: their times can no longer be corrected.
    assert set(TimeLine.objects.values_list("invoiced", flat=True)) == {True}


def test_issuing_an_issued_invoice_is_refused(drafted):
    issue_invoice(invoice_id=drafted.pk, actor=OPERATOR, at=ISSUE_AT)
    with pytest.raises(TimetillError) as refused:
        issue_invoice(invoice_id=drafted.pk, actor=OPERATOR, at=ISSUE_AT)
    assert refused.value.code == "already_issued"
    assert Invoice.objects.get().number == "F2026-000001"


def test_an_issued_invoice_is_left_alone_by_a_refresh_and_its_period_never_billed_again(drafted, daycare):
    issue_invoice(invoice_id=drafted.pk, actor=OPERATOR, at=ISSUE_AT)
    summary = run_month(site_id=daycare.pk, month=NOVEMBER, actor=OPERATOR, at=ISSUE_AT)
    assert summary.invoices == 0
    assert Invoice.objects.count() == 1
    assert Invoice.objects.get().gross == Decimal("478.00")


def test_a_forgotten_check_out_blocks_issuing_until_accepted(
    daycare, make_family, package, make_enrolment, make_stay
):
    _family, (lea,) = make_family("Martin")
    make_enrolment(lea, package, date(2026, 9, 1))
    make_stay(lea, paris(2026, 10, 20, 8, 0), None)
    run_month(site_id=daycare.pk, month=NOVEMBER, actor=OPERATOR, at=RUN_AT)
    draft = Invoice.objects.get()
    with pytest.raises(TimetillError) as refused:
        issue_invoice(invoice_id=draft.pk, actor=OPERATOR, at=ISSUE_AT)
    assert refused.value.code == "lines_to_review"
    assert "Correct the stay and refresh the run" in refused.value.message
    assert Invoice.objects.get().state == "draft"
    accept_line(
        line_id=draft.lines.get(kind="extra_time").pk, reason="Left at 16:00", actor=OPERATOR, at=ISSUE_AT
    )
    assert issue_invoice(invoice_id=draft.pk, actor=OPERATOR, at=ISSUE_AT).state == "issued"


def test_a_whole_month_is_issued_at_once_and_a_blocked_draft_stays(
    daycare, make_family, package, make_enrolment, make_stay
):
    for name in ("Bernard", "Martin", "Durand"):
        _family, (child,) = make_family(name)
        make_enrolment(child, package, date(2026, 9, 1))
        if name == "Martin":
            make_stay(child, paris(2026, 10, 20, 8, 0), None)
    run_month(site_id=daycare.pk, month=NOVEMBER, actor=OPERATOR, at=RUN_AT)
    result = issue_month(site_id=daycare.pk, month=NOVEMBER, actor=OPERATOR, at=ISSUE_AT)
    assert [(i.family.name, i.number) for i in result.issued] == [
        ("Bernard", "F2026-000001"),
        ("Durand", "F2026-000002"),
    ]
    assert [(i.family.name, "stay to review" in why) for i, why in result.refused] == [("Martin", True)]


@pytest.fixture
def issued(drafted):
    return issue_invoice(invoice_id=drafted.pk, actor=OPERATOR, at=ISSUE_AT)


def test_a_credit_note_of_chosen_amounts_then_of_what_remains(issued):
    fee = issued.lines.get(kind="monthly")
    note = credit_invoice(
        invoice_id=issued.pk,
        reason="Closed two days",
        amounts={fee.pk: Decimal("40.00")},
        actor=OPERATOR,
        at=ISSUE_AT,
    )
    assert (note.number, note.gross, note.vat) == ("A2026-000001", Decimal("40.00"), Decimal("6.67"))
    rest = credit_invoice(invoice_id=issued.pk, reason="Cancelled", actor=OPERATOR, at=ISSUE_AT)
    assert rest.number == "A2026-000002"
    assert rest.gross == Decimal("438.00")  # 478 − 40
    with pytest.raises(TimetillError) as refused:
        credit_invoice(invoice_id=issued.pk, reason="Again", actor=OPERATOR, at=ISSUE_AT)
    assert refused.value.code == "nothing_left"


@pytest.mark.parametrize(
    ("amount", "code"),
    [
        (Decimal("440.01"), "credit_above_remaining"),
        (Decimal("1.001"), "too_many_decimals"),
        (Decimal(0), "invalid_amount"),
    ],
)
def test_a_credit_note_above_what_remains_is_refused_and_nothing_is_made(issued, amount, code):
    fee = issued.lines.get(kind="monthly")
    with pytest.raises(TimetillError) as refused:
        credit_invoice(
            invoice_id=issued.pk, reason="Too much", amounts={fee.pk: amount}, actor=OPERATOR, at=ISSUE_AT
        )
    assert refused.value.code == code
    assert not CreditNote.objects.exists()


def test_a_draft_is_not_credited(drafted):
    with pytest.raises(TimetillError) as refused:
        credit_invoice(invoice_id=drafted.pk, reason="No", actor=OPERATOR, at=ISSUE_AT)
    assert refused.value.code == "not_issued"


def test_payments_partly_then_wholly_pay_and_the_balance_follows(issued):
    record_payment(
        invoice_id=issued.pk,
        method="transfer",
        amount=Decimal("400"),
        paid_on=date(2026, 11, 10),
        actor=OPERATOR,
        at=ISSUE_AT,
    )
    assert payment_state(issued) == "partly_paid"
    family_invoices = Invoice.objects.filter(family=issued.family)
    assert balance_of(family_invoices, today=date(2026, 11, 20)).due == Decimal("78.00")
    assert balance_of(family_invoices, today=date(2026, 11, 20)).overdue == Decimal("78.00")  # due the 18th
    assert balance_of(family_invoices, today=date(2026, 11, 12)).overdue == 0
    record_payment(
        invoice_id=issued.pk,
        method="card",
        amount=Decimal("78"),
        paid_on=date(2026, 11, 20),
        actor=OPERATOR,
        at=ISSUE_AT,
    )
    assert payment_state(issued) == "paid"
    assert balance_of(family_invoices, today=date(2026, 12, 1)).due == 0


@pytest.mark.parametrize(
    ("method", "amount", "code"),
    [
        ("cash", Decimal("10.005"), "too_many_decimals"),
        ("cash", Decimal("478.01"), "payment_above_due"),
        ("cash", Decimal("-5"), "invalid_amount"),
        ("cheque", Decimal("5"), "invalid_method"),
    ],
)
def test_bad_payments_are_refused_and_nothing_is_recorded(issued, method, amount, code):
    with pytest.raises(TimetillError) as refused:
        record_payment(
            invoice_id=issued.pk,
            method=method,
            amount=amount,
            paid_on=date(2026, 11, 10),
            actor=OPERATOR,
            at=ISSUE_AT,
        )
    assert refused.value.code == code
    assert not Payment.objects.exists()
