"""A closed sale's receipt reads only its copy: renaming what it shows later changes no byte of it."""

from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from tests.conftest import paris
from tests.sales.conftest import NOON
from tests.sales.pages import pdf_text
from timetill.billing.seller import SellerSpec, save_seller
from timetill.catalog.models import Product
from timetill.customers.models import Customer
from timetill.sales.models import Sale
from timetill.sales.receipt import receipt_of
from timetill.sales.receipt_pdf import receipt_pdf
from timetill.sales.services import PaymentSpec, close_sale
from timetill.timelines.actors import Actor

D = Decimal
LATER = paris(2026, 4, 1, 9, 0)
SELLER = SellerSpec(
    legal_name="Ludo Parc SAS",
    address="12 rue des Jeux\n75011 Paris",
    vat_number="FR40303265045",
    siret="73282932000074",
    legal_mentions="SAS au capital de 10 000 €",
)


@pytest.fixture
def desk(login, cashier):
    return login(cashier)


@pytest.fixture
def closed(make_sale, make_product, make_customer, system):
    save_seller(spec=SELLER, site=None, actor=system, at=NOON)
    coffee = make_product(internal_name="Coffee", short_name="Café crème", price=D("1.80"), vat_rate=D("10"))
    sale = make_sale((coffee, 2), customer=make_customer("Zoé Martin"))
    close_sale(sale_id=sale.pk, payments=[PaymentSpec("card", D("3.60"))], actor=system, at=NOON)
    return Sale.objects.get(pk=sale.pk), coffee


def _rename_everything(sale: Sale, product: Product, system: Actor) -> None:
    Customer.objects.filter(pk=sale.customer_id).update(name="Zoé Dupont")
    Product.objects.filter(pk=product.pk).update(internal_name="Espresso", short_name="Espresso")
    sale.site.__class__.objects.filter(pk=sale.site_id).update(name="New desk", time_zone="America/New_York")
    save_seller(
        spec=SellerSpec(legal_name="Other SARL", address="1 place X\n69001 Lyon"),
        site=None,
        actor=system,
        at=LATER,
    )


def test_the_receipt_pdf_is_byte_identical_after_renaming_its_customer_and_product(closed, system):
    sale, coffee = closed
    before = receipt_pdf(receipt_of(sale))
    assert receipt_pdf(receipt_of(Sale.objects.get(pk=sale.pk))) == before  # the same receipt, the same file
    text = pdf_text(before)
    assert "Zoé Martin" in text and "Café crème" in text and "Ludo Parc SAS" in text
    assert "VAT no. FR40303265045" in text and "SIRET 73282932000074" in text and "75011 Paris" in text
    _rename_everything(sale, coffee, system)
    after = receipt_pdf(receipt_of(Sale.objects.get(pk=sale.pk)))
    assert after == before


def test_the_receipt_page_reads_the_copy_too(closed, system, desk):
    sale, coffee = closed
    _rename_everything(sale, coffee, system)
    html = desk.get(reverse("sale-receipt", args=[sale.pk])).content.decode()
    assert (
        "Zoé Martin" in html
        and "Café crème" in html
        and "Ludo Parc SAS" in html
        and "12 rue des Jeux" in html
    )
    assert "Zoé Dupont" not in html and "Espresso" not in html and "Other SARL" not in html


def test_an_open_sale_shows_the_names_as_they_are_now(make_sale, make_product, make_customer, system):
    customer = make_customer("Zoé Martin")
    sale = make_sale((make_product(), 1), customer=customer)
    Customer.objects.filter(pk=customer.pk).update(name="Zoé Dupont")
    receipt = receipt_of(Sale.objects.get(pk=sale.pk))
    assert (receipt.customer, receipt.business) == ("Zoé Dupont", "Front desk")


def test_the_receipt_pdf_does_not_depend_on_when_it_is_printed(closed):
    sale, _ = closed
    with time_machine.travel(paris(2026, 3, 2, 12, 5), tick=False):
        first = receipt_pdf(receipt_of(sale))
    with time_machine.travel(paris(2027, 1, 15, 8, 30), tick=False):
        again = receipt_pdf(receipt_of(sale))
    assert first == again
    assert b"/CreationDate (D:20260302" in first  # dated by the sale's close (12:00 in Paris)
