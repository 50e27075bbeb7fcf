"""Pages in French and Italian: from Accept-Language, the user's preference, the login page's switch."""

from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tests.conftest import paris
from tests.sales.pages import pdf_text
from timetill.sales.receipt import receipt_of
from timetill.sales.receipt_pdf import receipt_pdf
from timetill.sales.services import LineSpec, PaymentSpec, add_line, close_sale
from timetill.sales.stays import stop_and_price
from timetill.timelines.services.scan import check_in

D = Decimal
TIMESTAMP = {
    "en": ("Scan a card, or type a code and press Enter", "Here now", "Find a customer"),
    "fr": ("Scannez une carte, ou saisissez un code et appuyez sur Entrée", "Présents", "Trouver un client"),
    "it": ("Scansiona una tessera, o scrivi un codice e premi Invio", "Presenti", "Trova un cliente"),
}


@pytest.mark.parametrize("language", ["en", "fr", "it"])
def test_the_timestamp_page_speaks_the_browsers_language(login, cashier, site, language):
    response = login(cashier).get(reverse("timestamp"), HTTP_ACCEPT_LANGUAGE=f"{language},en;q=0.5")
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert response["Content-Language"] == language
    for text in TIMESTAMP[language]:
        assert text in html


def test_a_language_the_app_does_not_speak_falls_back_to_english(login, cashier, site):
    html = login(cashier).get(reverse("timestamp"), HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9").content.decode()
    assert '<html lang="en">' in html and TIMESTAMP["en"][0] in html


def test_the_users_preference_wins_over_the_browser(login, cashier, site):
    client = login(cashier)
    response = client.post(
        reverse("preferences"),
        {"home_page": "timestamp", "language": "it", "next": reverse("timestamp")},
        HTTP_ACCEPT_LANGUAGE="fr",
        follow=True,
    )
    assert "Preferenze salvate." in response.content.decode()
    cashier.profile.refresh_from_db()
    assert cashier.profile.language == "it"
    html = client.get(reverse("timestamp"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<html lang="it">' in html and TIMESTAMP["it"][0] in html
    # "The browser's language" again: French from the browser.
    client.post(reverse("preferences"), {"home_page": "timestamp", "language": ""})
    html = client.get(reverse("timestamp"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert TIMESTAMP["fr"][0] in html


def test_a_language_that_does_not_exist_is_refused_at_its_field(login, cashier, site):
    response = login(cashier).post(reverse("preferences"), {"home_page": "timestamp", "language": "xx"})
    assert response.status_code == 400
    cashier.profile.refresh_from_db()
    assert cashier.profile.language == ""


def test_the_login_page_switches_language_for_a_visitor(client, db):
    html = client.get(reverse("login")).content.decode()
    assert f'action="{reverse("set_language")}"' in html and "Log in" in html
    response = client.post(reverse("set_language"), {"language": "fr", "next": reverse("login")})
    assert response.status_code == 302 and response.url == reverse("login")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    html = client.get(reverse("login")).content.decode()
    assert "Se connecter" in html and "Mot de passe oublié ?" in html
    wrong = client.post(reverse("login"), {"username": "nobody", "password": "nope"}).content.decode()
    assert "Cet identifiant et ce mot de passe ne correspondent pas." in wrong


def test_the_manager_sets_a_users_language_in_the_back_office(login, manager, cashier):
    client = login(manager)
    page = client.get(reverse("bo-user", args=[cashier.pk]), HTTP_ACCEPT_LANGUAGE="it").content.decode()
    assert 'name="language"' in page and "Lingua" in page
    form = {
        "username": cashier.username,
        "email": "",
        "role": "cashier",
        "home_page": "timestamp",
        "language": "fr",
    }
    response = client.post(reverse("bo-user", args=[cashier.pk]), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    cashier.profile.refresh_from_db()
    assert cashier.profile.language == "fr"
    html = login(cashier).get(reverse("preferences"), HTTP_ACCEPT_LANGUAGE="it").content.decode()
    assert '<html lang="fr">' in html and "Mes préférences" in html


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        ("fr", ("Ma famille", "Absent", "Pointer l'arrivée à")),
        ("it", ("La mia famiglia", "Non presente", "Registra l'entrata a")),
    ],
)
def test_the_family_page_in_french_and_italian(login, make_parent, make_customer, site, language, texts):
    site.family_check_in = True
    site.save()
    parent = make_parent(make_customer("Léa Martin"))
    html = login(parent).get(reverse("family"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    for text in texts:
        assert text in html


@pytest.fixture
def french_sale(site, time_product, site_time_product, make_product, make_customer, cashier_actor, system):
    """A closed sale of a French-speaking customer at an English site: a stay and two coffees."""
    site_time_product(site, time_product)
    customer = make_customer("Zoé Martin")
    customer.language = "fr"
    customer.save()
    with time_machine.travel(paris(2026, 3, 2, 10, 0), tick=False):
        line = check_in(site=site, customer=customer, actor=cashier_actor, at=timezone.now())
    with time_machine.travel(paris(2026, 3, 2, 15, 0), tick=False):
        _, sale_line = stop_and_price(time_line_id=line.pk, actor=cashier_actor, at=timezone.now())
    coffee = make_product(internal_name="Coffee", short_name="Café crème", price=D("1.80"), vat_rate=D("10"))
    add_line(sale_id=sale_line.sale_id, spec=LineSpec(coffee.pk, D(2)), actor=system)
    return close_sale(
        sale_id=sale_line.sale_id,
        payments=[PaymentSpec("cash", D("1234.50"))],
        actor=cashier_actor,
        at=paris(2026, 3, 2, 15, 1),
    )


def test_the_receipt_speaks_its_customers_language_and_keeps_it(french_sale):
    receipt = receipt_of(french_sale)
    assert receipt.language == "fr"
    assert receipt.lines[0].details[0] == "Séjour 02/03/2026 10:00 – 15:00"
    assert receipt.lines[0].details[2] == "Time 11:00–15:00: 16 × 15 min à 0,60\u00a0€ / 15 min = 9,60\u00a0€"
    # Issued: the customer choosing Italian later changes nothing on it.
    customer = french_sale.customer
    customer.language = "it"
    customer.save()
    french_sale.refresh_from_db()
    assert receipt_of(french_sale).lines[0].details == receipt.lines[0].details
    assert french_sale.frozen["language"] == "fr"


def test_the_receipt_pdf_is_in_the_customers_language_with_french_amounts(french_sale):
    text = pdf_text(receipt_pdf(receipt_of(french_sale)))
    for expected in ("Ticket 000001", "Client : Zoé Martin", "Séjour 02/03/2026", "TOTAL", "Taux TVA", "HT"):
        assert expected in text, expected
    # 1 234,50 €: the narrow no-break space French groups thousands with prints (as a no-break space).
    assert "1\u00a0234,50\u00a0€" in text or "1 234,50 €" in text
    assert "?" not in text


def test_the_receipt_page_prints_the_customers_language_inside_the_cashiers_page(login, cashier, french_sale):
    html = login(cashier).get(reverse("sale-receipt", args=[french_sale.pk]), HTTP_ACCEPT_LANGUAGE="it")
    page = html.content.decode()
    assert "Torna alla vendita" in page  # the cashier's page, in Italian
    assert "Merci de votre visite !" in page and "Ticket 000001" in page  # the receipt, in French


def test_a_customer_without_a_language_gets_the_sites(site, make_customer):
    from timetill.billing.language import document_language

    site.language = "it"
    assert document_language("", site.language) == "it"
    assert document_language("fr", site.language) == "fr"
    assert document_language(None, "") == settings.LANGUAGE_CODE
