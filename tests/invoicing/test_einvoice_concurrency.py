"""Invoices issued at once over several PostgreSQL connections by an Italian seller: each FatturaPA file
gets its own progressive, 1…N with no gap and no duplicate, and never two files one name."""

import threading

import pytest
from django.conf import settings
from django.db import connection

from timetill.billing.models import SellerIdentity
from timetill.billing.numbering import site_scope
from timetill.invoicing.invoices import issue_invoice
from timetill.invoicing.models import Invoice, InvoiceLine, Payer

from ..conftest import paris
from .conftest import OPERATOR

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
CONNECTIONS = 6
INVOICES = 240


@pytest.mark.postgres_only
@pytest.mark.skipif(
    not ON_POSTGRES, reason="SQLite serialises writers: the race needs PostgreSQL connections"
)
@pytest.mark.django_db(transaction=True)
def test_progressives_drawn_at_once_have_no_gap_and_no_duplicate(make_family, daycare):
    SellerIdentity.objects.create(
        scope=site_scope(daycare.pk),
        site=daycare,
        legal_name="Piccoli Passi S.r.l.",
        address="Via Roma 1\n20121 Milano (MI)",
        country="IT",
        vat_number="IT00743110157",
    )
    family, _children = make_family("Rossi")
    payer = family.payers.get()
    Payer.objects.filter(pk=payer.pk).update(tax_code="RSSMRA85T10A562S")
    drafts = Invoice.objects.bulk_create(
        Invoice(site=daycare, family=family, payer=payer, currency="EUR", created_at=paris(2026, 11, 1))
        for _ in range(INVOICES)
    )
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            invoice=draft,
            payer=payer,
            position=1,
            kind="manual",
            description="Laboratorio",
            quantity=1,
            unit_price=10,
            vat_rate=0,
            vat_category="E",
            vat_exemption_reason="Esente IVA art. 10 n. 20 DPR 633/72",
            vat_exemption_code="N4",
            prices_include_vat=False,
            net=10,
            vat=0,
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
    progressives = sorted(copy["progressive"] for copy in Invoice.objects.values_list("einvoice", flat=True))
    assert progressives == [f"{n:05d}" for n in range(1, INVOICES + 1)]
