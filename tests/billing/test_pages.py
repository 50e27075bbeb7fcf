"""The billing settings pages: who may open them, a message at the field and nothing saved on bad input."""

import pytest
from django.urls import reverse

from timetill.billing.models import SellerIdentity, VatRate

pytestmark = pytest.mark.django_db

# (method, url name, kwargs builder).
PAGES = [
    ("get", "billing-seller", None),
    ("post", "billing-seller", None),
    ("get", "billing-seller-site", lambda o: {"site_id": o["site"].pk}),
    ("post", "billing-seller-site", lambda o: {"site_id": o["site"].pk}),
    ("post", "billing-seller-remove", lambda o: {"site_id": o["site"].pk}),
    ("get", "billing-vat-rates", None),
    ("post", "billing-vat-rates", None),
    ("post", "billing-vat-rate-active", lambda o: {"pk": o["rate"].pk}),
]
GOOD = {
    "legal_name": "Ludo Parc SAS",
    "address": "12 rue des Jeux\n75011 Paris",
    "country": "FR",
    "vat_number": "FR40303265045",
    "siren": "732829320",
    "iban": "FR1420041010050500013M02606",
}


@pytest.fixture
def objects(site):
    return {"site": site, "rate": VatRate.objects.first()}


def _url(name, kwargs, objects) -> str:
    return reverse(name, kwargs=kwargs(objects) if kwargs else None)


def _ids(page) -> str:
    return f"{page[0]} {page[1]}"


@pytest.mark.parametrize("page", PAGES, ids=_ids)
def test_a_visitor_is_sent_to_log_in(client, objects, page):
    method, name, kwargs = page
    response = getattr(client, method)(_url(name, kwargs, objects))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("role", ["parent", "cashier"])
@pytest.mark.parametrize("page", PAGES, ids=_ids)
def test_parents_and_cashiers_are_refused_and_nothing_changes(login, make_user, objects, page, role):
    method, name, kwargs = page
    rates = list(VatRate.objects.values_list("pk", "active"))
    response = getattr(login(make_user(role)), method)(
        _url(name, kwargs, objects), GOOD if method == "post" else None
    )
    assert response.status_code == 403
    assert not SellerIdentity.objects.exists()
    assert list(VatRate.objects.values_list("pk", "active")) == rates


@pytest.mark.parametrize("page", PAGES, ids=_ids)
def test_a_manager_gets_in(login, manager, objects, page):
    method, name, kwargs = page
    response = getattr(login(manager), method)(_url(name, kwargs, objects))
    assert response.status_code in (200, 302, 400)  # 400: an empty form posted back with its messages
    if response.status_code == 302:
        assert not response.url.startswith(reverse("login"))


def test_a_manager_saves_the_business_identity(login, manager):
    page = login(manager).post(reverse("billing-seller"), GOOD)
    assert page.status_code == 200
    assert "Saved." in page.content.decode()
    assert SellerIdentity.objects.get(scope="business").vat_number == "FR40303265045"


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("vat_number", "FR00303265045", "This is not a valid EU VAT number"),
        ("iban", "FR1420041010050500013M02605", "This is not a valid IBAN"),
        ("siren", "732829321", "This is not a valid SIREN"),
    ],
)
def test_a_wrong_number_is_told_at_its_field_and_nothing_is_saved(login, manager, field, value, words):
    page = login(manager).post(reverse("billing-seller"), {**GOOD, field: value})
    html = page.content.decode()
    assert page.status_code == 400
    assert f'<small class="field-error" data-field="{field}">{words}' in html
    assert "Nothing was saved" in html
    assert f'value="{value}"' in html  # what was typed stays in the form
    assert not SellerIdentity.objects.exists()


def test_an_exempt_rate_without_its_reason_is_told_at_the_field_and_nothing_is_saved(login, manager):
    count = VatRate.objects.count()
    data = {"name": "Daycare", "rate": "0", "category": "E", "exemption_reason": "", "exemption_code": ""}
    page = login(manager).post(reverse("billing-vat-rates"), data)
    html = page.content.decode()
    assert page.status_code == 400
    assert '<small class="field-error" data-field="exemption_reason">Say why no VAT is charged' in html
    assert VatRate.objects.count() == count
    data["exemption_reason"] = "Exonération de TVA, art. 261-4-4° du CGI"
    page = login(manager).post(reverse("billing-vat-rates"), data)
    assert page.status_code == 200
    assert VatRate.objects.get(category="E").exemption_reason == data["exemption_reason"]
