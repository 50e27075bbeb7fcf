"""The one customer search (customers list and Timestamp page): accents and case ignored, partial codes
found."""

import pytest
from django.urls import reverse

from timetill.customers.services import search_customers, update_customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_customer):
    return {
        "lea": make_customer("Léa Rousseau", codes=[("2000000000015", "ean13")]),
        "chloe": make_customer("Chloé Petit", ean=False),
        "lefevre": make_customer("Hugo Lefèvre", codes=[("QR-00A1B2", "qr")]),
        "other": make_customer("Zoé Martin", codes=[("2000000000022", "ean13")]),
    }


def _names(query: str) -> set[str]:
    return {c.name for c in search_customers(query)}


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("lea", {"Léa Rousseau"}),
        ("LÉA", {"Léa Rousseau"}),
        ("chloe", {"Chloé Petit"}),
        ("lefevre", {"Hugo Lefèvre"}),
        ("LEFÈVRE", {"Hugo Lefèvre"}),
        ("0015", {"Léa Rousseau"}),
        ("qr-00a1", {"Hugo Lefèvre"}),
        ("2000000000022", {"Zoé Martin"}),
        ("nobody", set()),
        ("   ", set()),
    ],
)
def test_search_ignores_accents_and_case_and_finds_partial_codes(people, query, found):
    assert _names(query) == found


def test_a_renamed_customer_is_found_by_the_new_name(people):
    update_customer(customer=people["other"], name="Zoé Dupré")
    assert _names("dupre") == {"Zoé Dupré"}
    assert _names("martin") == set()


@pytest.mark.parametrize("query", ["chloe", "lefevre", "lea", "0015"])
def test_the_timestamp_page_search_uses_it(login, cashier, site, people, query):
    page = login(cashier).get(reverse("timestamp-search"), {"site": site.slug, "q": query}).content.decode()
    expected = {
        "chloe": "Chloé Petit",
        "lefevre": "Hugo Lefèvre",
        "lea": "Léa Rousseau",
        "0015": "Léa Rousseau",
    }
    assert expected[query] in page
