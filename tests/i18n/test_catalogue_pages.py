"""The catalogue in French and Italian: the product forms' labels and help texts, the list's price summaries
(amounts with the currency's sign), the sites' time products page, the model fields' help texts in the admin
and the pricing engine's refusals of a stay (StayError), each as a person reads them through HTTP."""

import pytest
from django.utils import translation

from tests.api.conftest import api_as  # noqa: F401 - fixture
from tests.catalog.conftest import CAR_PARK, ladder_product  # noqa: F401 - fixture
from tests.catalog.test_pages import _product_data, _steps
from timetill.customers.models import CustomerGroup
from timetill.pricing import StayError, parse_tariff

SAID = {
    "fr": {
        "form": [
            "Nom interne",
            "Ce que voit le personnel, par ex. « Heures en plus 8-16 ».",
            "Nom court",
            "Ce que voient les clients sur les tickets et les factures : « Heures en plus ».",
            "Base des prix",
            "Prix TTC",
            "Prix HT",
        ],
        "steps": ["Libellé", "Code-barres", "Aujourd’hui si vide.", "Maintenant si vide."],
        "list": [
            "Tarif : premier 1h 2,50\u00a0€, 0,60\u00a0€ / 15m, plafond 15,00\u00a0€ / 24 h, prix par groupe",
            "Tarif : lun.–jeu. 08:00–16:00, avant 3,00\u00a0€ / 15m, après 5,00\u00a0€ / 15m",
            "1,50\u00a0€",
        ],
        "sites": ["Aucun : les séjours ne sont pas tarifés", "Le produit du site (ci-dessus)"],
        "import": ["Un fichier .json", "Ou collez le document"],
        "admin": [
            "Nom court utilisé dans les adresses et l’API.",
            "Basculer : un second passage arrête la ligne de temps ouverte",
            "Refuser le passage",
        ],
        "stay": "start : 2026-03-29T02:30:00 n’existe pas à Europe/Paris (les horloges avancent d’une heure)",
        "end": "end : 2026-03-02T10:00:00+01:00 est avant start 2026-03-02T11:00:00+01:00",
    },
    "it": {
        "form": [
            "Nome interno",
            "Ciò che vede il personale, ad es. «Ore extra 8-16».",
            "Nome breve",
            "Ciò che vedono i clienti su scontrini e fatture: «Ore extra».",
            "Base dei prezzi",
            "Prezzi IVA inclusa",
            "Prezzi IVA esclusa",
        ],
        "steps": ["Etichetta", "Codice a barre", "Oggi se vuoto.", "Adesso se vuoto."],
        "list": [
            "Tariffa: primo 1h €\u00a02,50, €\u00a00,60 / 15m, tetto €\u00a015,00 / 24 h, prezzi per gruppo",
            "Tariffa: lun–gio 08:00–16:00, prima €\u00a03,00 / 15m, dopo €\u00a05,00 / 15m",
            "€\u00a01,50",
        ],
        "sites": ["Nessuno: le permanenze non hanno prezzo", "Il prodotto della sede (sopra)"],
        "import": ["Un file .json", "Oppure incolla il documento"],
        "admin": [
            "Nome breve usato negli indirizzi e nell’API.",
            "Alterna: una seconda scansione ferma la riga di tempo aperta",
            "Rifiuta la scansione",
        ],
        "stay": "start: 2026-03-29T02:30:00 non esiste a Europe/Paris (gli orologi vanno avanti)",
        "end": "end: 2026-03-02T10:00:00+01:00 è prima di start 2026-03-02T11:00:00+01:00",
    },
}
ENGLISH = ["Internal name", "Short name", "Price basis", "What staff see", "Today when empty.", "Tariff ("]
LANGUAGES = pytest.mark.parametrize("language", ["fr", "it"])


def _speaking(user, language):
    user.profile.language = language
    user.profile.save()
    return user


@LANGUAGES
def test_the_product_forms_speak_the_managers_language(login, manager, site, ladder_product, language):  # noqa: F811
    client = login(_speaking(manager, language))
    simple = client.get("/catalog/new/simple/").text
    ladder = client.get(f"/catalog/{ladder_product.pk}/").text
    for text in SAID[language]["form"]:
        assert text in simple
    for text in SAID[language]["steps"]:
        assert text in ladder
    for english in ENGLISH:
        assert english not in simple and english not in ladder


@LANGUAGES
def test_the_list_writes_each_price_in_words_and_with_the_currency_sign(
    login, manager, site, make_product, language
):
    make_product("simple", internal_name="Espresso", short_name="Coffee", price="1.5")
    make_product("time", internal_name="Car park", short_name="Parking")
    make_product("daily_time", internal_name="Extra Hours 8-16", short_name="Extra Hours")
    page = login(_speaking(manager, language)).get("/catalog/").text
    for text in SAID[language]["list"]:
        assert text in page
    assert "EUR" not in page.split("<main")[1] and "Tariff (" not in page


@LANGUAGES
def test_the_sites_time_products_and_the_import_page_speak_the_managers_language(
    login, manager, site, time_product, language
):
    client = login(_speaking(manager, language))
    CustomerGroup.objects.create(name="Members")
    sites = client.get("/catalog/sites/").text
    for text in SAID[language]["sites"]:
        assert text in sites
    imported = client.get(f"/catalog/{time_product.pk}/tariff/import/").text
    for text in SAID[language]["import"]:
        assert text in imported
    assert "None: stays" not in sites and "paste the document" not in imported


@LANGUAGES
def test_the_admin_shows_the_fields_help_texts_and_choices_in_the_users_language(
    client, django_user_model, language
):
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "root-password-1")
    client.force_login(admin)
    page = client.get("/admin/sites/site/add/", HTTP_ACCEPT_LANGUAGE=language).text
    for text in SAID[language]["admin"]:
        assert text in page
    assert "Short name used in addresses" not in page


@LANGUAGES
def test_a_stay_the_engine_cannot_price_is_refused_in_the_requests_language(api_as, manager, language):  # noqa: F811
    with translation.override(language), pytest.raises(StayError) as caught:
        parse_tariff(CAR_PARK).quote(start="2026-03-29T02:30", end="2026-03-29T11:00")
    with translation.override(language):
        assert caught.value.message == SAID[language]["stay"]
    assert "does not exist in Europe/Paris" in str(caught.value)  # a log still reads English
    api = api_as(manager)
    status, body = api.post(
        "/quote",
        {"tariff": CAR_PARK, "start": "2026-03-02T11:00", "end": "2026-03-02T10:00"},
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert status == 422 and body["message"] == SAID[language]["end"], body


STEP_ERRORS = {
    "fr": [
        "Un prix a au plus 2 décimales (7.50, pas 7.505).",
        "doit être un nombre entier supérieur à zéro.",
    ],
    "it": [
        "Un prezzo ha al massimo 2 decimali (7.50, non 7.505).",
        "deve essere un numero intero maggiore di zero.",
    ],
}


@LANGUAGES
def test_the_ladder_steps_form_shows_every_wrong_row_at_once_in_the_managers_language(
    login, manager, language
):
    client = login(_speaking(manager, language))
    rows = _steps(("1 h", 60, "7.505", ""), ("2 h", 0, "11", ""))
    response = client.post("/catalog/new/ladder/", _product_data(internal_name="Billiard") | rows)
    assert response.status_code == 400
    forms = response.context["steps"].forms
    assert forms[0].errors["price"] == [STEP_ERRORS[language][0]]
    assert forms[1].errors["duration_minutes"] == [STEP_ERRORS[language][1]]
    for text in STEP_ERRORS[language][:2]:
        assert text in response.text
