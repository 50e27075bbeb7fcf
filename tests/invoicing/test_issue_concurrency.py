"""A thousand invoices issued at once over eight PostgreSQL connections get the numbers 1…1000."""

import threading
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection

from timetill.invoicing.invoices import issue_invoice
from timetill.invoicing.models import Invoice, InvoiceLine

from ..conftest import paris
from .conftest import OPERATOR

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
CONNECTIONS = 8
INVOICES = 1000


@pytest.mark.postgres_only
@pytest.mark.skipif(
    not ON_POSTGRES, reason="SQLite serialises writers: the race needs PostgreSQL connections"
)
@pytest.mark.django_db(transaction=True)
def test_a_thousand_invoices_issued_over_eight_connections_have_no_gap_and_no_duplicate(make_family, daycare):
    family, _children = make_family("Martin")
    payer = family.payers.get()
    drafts = Invoice.objects.bulk_create(
        Invoice(
            site=daycare,
            family=family,
            payer=payer,
            currency="EUR",
            gross=Decimal(10),
            created_at=paris(2026, 11, 1),
        )
        for _ in range(INVOICES)
    )
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            invoice=draft,
            payer=payer,
            position=1,
            kind="manual",
            description="Workshop",
            quantity=1,
            unit_price=10,
            vat_rate=20,
            net=Decimal("8.33"),
            vat=Decimal("1.67"),
            gross=10,
        )
        for draft in drafts
    )
    ids = [draft.pk for draft in drafts]
    start = threading.Barrier(CONNECTIONS)
    failures: list[BaseException] = []

    def worker(i: int) -> None:
        try:
            start.wait()
            for invoice_id in ids[i::CONNECTIONS]:
                issue_invoice(invoice_id=invoice_id, actor=OPERATOR, at=paris(2026, 11, 3, 10))
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    numbers = sorted(Invoice.objects.values_list("number", flat=True))
    assert numbers == [f"F2026-{n:06d}" for n in range(1, INVOICES + 1)]
