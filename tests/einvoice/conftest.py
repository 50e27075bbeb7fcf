"""Documents to make e-invoices of: an Italian daycare's exempt fee with a taxed lunch, and a French one."""

from datetime import date
from decimal import Decimal

import pytest

from timetill.billing.frozen import SellerCopy
from timetill.billing.money import VatCategory, VatSpec
from timetill.einvoice.document import CREDIT_NOTE, INVOICE, Buyer, Document, Line, Preceding, VatGroup

EXEMPT_IT = VatSpec(Decimal(0), VatCategory.EXEMPT, "Esente IVA art. 10 n. 20 DPR 633/72", "N4")
EXEMPT_FR = VatSpec(
    Decimal(0), VatCategory.EXEMPT, "Exonération de TVA, art. 261-4-4° du CGI", "VATEX-EU-132-1I"
)
STANDARD = VatSpec(Decimal(22))
ZERO = VatSpec(Decimal(0), VatCategory.ZERO)

IT_SELLER = SellerCopy(
    legal_name="Piccoli Passi S.r.l.",
    address="Via Roma 1\n20121 Milano (MI)",
    country="IT",
    vat_number="IT00743110157",
    rea="MI-1234567",
    iban="IT60X0542811101000000123456",
    email="amministrazione@piccolipassi.example",
)
FR_SELLER = SellerCopy(
    legal_name="Crèche Les Lutins SAS",
    address="3 place de l'Église\n75011 Paris",
    country="FR",
    vat_number="FR40303265045",
    siren="303265045",
    iban="FR7630006000011234567890189",
    bic="AGRIFRPP",
    payment_terms="30 jours net",
    legal_mentions="SAS au capital de 10 000 €",
)


def document(**changes) -> Document:
    fields = dict(
        kind=INVOICE,
        number="F2026-000001",
        issue_date=date(2026, 12, 1),
        currency="EUR",
        seller=IT_SELLER,
        buyer=Buyer(
            name="Zoé Rossi",
            address="Via Verdi 3\n20122 Milano (MI)",
            country="IT",
            tax_code="RSSMRA85T10A562S",
            pec="zoe.rossi@pec.example",
        ),
        lines=(
            Line(1, "Retta mensile – dicembre", Decimal(1), Decimal("450.00"), EXEMPT_IT),
            Line(
                2,
                "Pasti",
                Decimal("0.5"),
                Decimal("10.00"),
                STANDARD,
                period_start=date(2026, 11, 1),
                period_end=date(2026, 11, 30),
            ),
        ),
        vat=(
            VatGroup(EXEMPT_IT, Decimal("450.00"), Decimal(0)),
            VatGroup(STANDARD, Decimal("10.00"), Decimal("2.20")),
        ),
        net=Decimal("460.00"),
        tax=Decimal("2.20"),
        gross=Decimal("462.20"),
        due_date=date(2026, 12, 31),
        progressive="00001",
    )
    fields.update(changes)
    return Document(**fields)


def credit_note(**changes) -> Document:
    return document(
        kind=CREDIT_NOTE,
        number="A2026-000001",
        issue_date=date(2026, 12, 5),
        lines=(Line(1, "Retta mensile – dicembre", Decimal(1), Decimal("100.00"), EXEMPT_IT),),
        vat=(VatGroup(EXEMPT_IT, Decimal("100.00"), Decimal(0)),),
        net=Decimal("100.00"),
        tax=Decimal(0),
        gross=Decimal("100.00"),
        due_date=None,
        preceding=Preceding("F2026-000001", date(2026, 12, 1)),
        note="Assenza per malattia",
        progressive="00002",
        **changes,
    )


@pytest.fixture
def it_invoice() -> Document:
    return document()
