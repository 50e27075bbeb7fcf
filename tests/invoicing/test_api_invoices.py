"""Issuing, credit notes, payments and balances through the API, and the JSON errors of bad input."""

from datetime import date

import pytest
import time_machine

from timetill.invoicing.models import CreditNote, Invoice, Payment
from timetill.invoicing.month import parse_month
from timetill.invoicing.run import run_month

from ..conftest import paris
from .conftest import OPERATOR

NOW = paris(2026, 11, 3, 10, 0)


@pytest.fixture
def draft(daycare, make_family, package, make_enrolment, product_week):
    _family, (lea,) = make_family("Martin")
    make_enrolment(lea, package, date(2026, 9, 1))
    product_week(lea)
    run_month(site_id=daycare.pk, month=parse_month("2026-11"), actor=OPERATOR, at=paris(2026, 11, 2, 9))
    return Invoice.objects.get()


def test_issue_credit_pay_and_read_the_balance(api_as, manager, draft):
    api = api_as(manager)
    with time_machine.travel(NOW, tick=False):
        status, invoice = api.post(f"/invoices/{draft.pk}/issue")
        assert (status, invoice["number"], invoice["due_date"]) == (200, "F2026-000001", "2026-12-03")
        status, again = api.post(f"/invoices/{draft.pk}/issue")
        assert (status, again["code"]) == (409, "already_issued")
        fee = next(line for line in invoice["lines"] if line["kind"] == "monthly")
        status, note = api.post(
            f"/invoices/{draft.pk}/credit-notes",
            {"reason": "Closed one day", "lines": [{"line_id": fee["id"], "amount": "20.00"}]},
        )
        assert (status, note["number"], note["gross"]) == (201, "A2026-000001", "20.00")
        status, too_much = api.post(
            f"/invoices/{draft.pk}/credit-notes",
            {"reason": "Oops", "lines": [{"line_id": fee["id"], "amount": "420.01"}]},
        )
        assert (status, too_much["code"]) == (409, "credit_above_remaining")
        status, payment = api.post(
            f"/invoices/{draft.pk}/payments",
            {"method": "transfer", "amount": "100.00", "paid_on": "2026-11-10"},
        )
        assert status == 201
        status, bad = api.post(
            f"/invoices/{draft.pk}/payments", {"method": "cash", "amount": "1.005", "paid_on": "2026-11-10"}
        )
        assert (status, bad["code"]) == (400, "too_many_decimals")
        status, balance = api.get(f"/families/{draft.family_id}/balance")
    assert balance == {
        "invoiced": "478.00",
        "credited": "20.00",
        "paid": "100.00",
        "due": "358.00",
        "overdue": "0.00",
    }
    assert CreditNote.objects.count() == 1 and Payment.objects.count() == 1
    _status, read = api.get(f"/invoices/{draft.pk}")
    assert read["payment_state"] == "partly_paid"


def test_a_month_is_issued_at_once(api_as, manager, draft, daycare):
    with time_machine.travel(NOW, tick=False):
        status, result = api_as(manager).post("/invoicing/issue", {"site_id": daycare.pk, "month": "2026-11"})
    assert status == 200
    assert [i["number"] for i in result["issued"]] == ["F2026-000001"] and result["refused"] == []


@pytest.mark.parametrize(("role", "status"), [("nobody", 401), ("cashier", 403)])
def test_only_managers_issue(api_as, draft, cashier, role, status):
    code, body = api_as({"nobody": None, "cashier": cashier}[role]).post(f"/invoices/{draft.pk}/issue")
    assert code == status and body["code"]
    assert Invoice.objects.get().state == "draft"
