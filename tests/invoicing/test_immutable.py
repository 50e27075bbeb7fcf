"""An issued invoice and its lines cannot change, through the model or raw SQL: the database refuses it."""

from datetime import date

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from timetill.invoicing.models import Invoice, InvoiceLine

from ..conftest import paris


@pytest.fixture
def issued(make_family, package, make_enrolment, daycare):
    from timetill.invoicing.month import parse_month
    from timetill.invoicing.run import run_month

    from .conftest import OPERATOR

    _family, (lea,) = make_family("Martin")
    make_enrolment(lea, package, date(2026, 9, 1))
    run_month(site_id=daycare.pk, month=parse_month("2026-11"), actor=OPERATOR, at=paris(2026, 11, 2, 9))
    # Issued as the issuing service leaves it (its number and date), written straight to the table.
    Invoice.objects.filter(pk=Invoice.objects.get().pk).update(
        state="issued", number="F2026-000001", issue_date=date(2026, 11, 2)
    )
    return Invoice.objects.get()


def _raw(sql, params):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE invoicing_invoice SET gross = 1 WHERE id = %s",
        "DELETE FROM invoicing_invoice WHERE id = %s",
        "UPDATE invoicing_invoiceline SET gross = 1 WHERE invoice_id = %s",
        "DELETE FROM invoicing_invoiceline WHERE invoice_id = %s",
    ],
)
def test_raw_sql_cannot_change_an_issued_invoice_or_its_lines(issued, sql):
    with pytest.raises((IntegrityError, DatabaseError), match="cannot be changed"):
        _raw(sql, [issued.pk])
    issued.refresh_from_db()
    assert issued.gross == 440 and issued.lines.count() == 1


def test_a_line_cannot_be_added_to_an_issued_invoice(issued):
    line = issued.lines.get()
    with pytest.raises((IntegrityError, DatabaseError), match="cannot be changed"):
        _raw(
            "INSERT INTO invoicing_invoiceline (invoice_id, payer_id, position, kind, description, detail,"
            " quantity, unit_price, discount, vat_rate, vat_category, vat_exemption_reason,"
            " vat_exemption_code,"
            " prices_include_vat, share_percent, net, vat, gross, to_review, review_note)"
            " VALUES (%s, %s, 9, 'manual', 'Extra', '', 1, 1, 0, 20, 'S', '', '', %s, 100, 1, 0, 1, %s, '')",
            [issued.pk, line.payer_id, True, False],
        )
    assert issued.lines.count() == 1


def test_the_model_refuses_too(issued):
    with pytest.raises(PermissionError):
        issued.save()
    with pytest.raises(PermissionError):
        issued.delete()
    with pytest.raises(PermissionError):
        issued.lines.get().save()


def test_a_draft_still_changes(make_family, package, make_enrolment, daycare):
    from timetill.invoicing.month import parse_month
    from timetill.invoicing.run import run_month

    from .conftest import OPERATOR

    _family, (lea,) = make_family("Martin")
    make_enrolment(lea, package, date(2026, 9, 1))
    run_month(site_id=daycare.pk, month=parse_month("2026-11"), actor=OPERATOR, at=paris(2026, 11, 2, 9))
    _raw("UPDATE invoicing_invoiceline SET detail = 'checked' WHERE kind = %s", ["monthly"])
    assert InvoiceLine.objects.get().detail == "checked"
