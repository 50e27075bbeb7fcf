"""A tariff that does not validate is refused in the reader's language, by the tariff form and by the API: the
pricing engine (pure Python) raises message ids that the edge translates, field by field."""

import json

import pytest
from django.utils import translation

from tests.api.conftest import api_as  # noqa: F401 - fixture
from tests.catalog.conftest import CAR_PARK
from timetill.catalog.models import Product
from timetill.pricing import TariffError, parse_tariff

BROKEN = {**CAR_PARK, "unit": "0m", "bands": [{"from": "25:00", "to": "06:00", "per_unit": "1.00"}]}
SAID = {
    "en": {
        "unit": '"0m" must be longer than zero',
        "bands[0].from": '"25:00" is not a time of day',
        "top": "The tariff does not validate: see each problem below.",
        "per_unit": '"0.705" has more decimals than EUR allows (2)',
    },
    "fr": {
        "unit": '"0m" doit être plus long que zéro',
        "bands[0].from": '"25:00" n’est pas une heure de la journée',
        "top": "Le tarif n’est pas valide : voyez chaque problème ci-dessous.",
        "per_unit": '"0.705" a plus de décimales que EUR n’en permet (2)',
    },
    "it": {
        "unit": '"0m" deve essere più lungo di zero',
        "bands[0].from": '"25:00" non è un’ora del giorno',
        "top": "La tariffa non è valida: vedi ogni problema qui sotto.",
        "per_unit": '"0.705" ha più decimali di quanti ne consenta EUR (2)',
    },
}


def _product_data(**fields) -> dict:
    return {
        "internal_name": "Car park",
        "short_name": "Parking",
        "description": "",
        "vat_rate": "20",
        "price_basis": "incl",
        **fields,
    }


@pytest.mark.parametrize("language", ["en", "fr", "it"])
def test_the_tariff_form_names_each_problem_in_the_managers_language(login, manager, time_product, language):
    manager.profile.language = language
    manager.profile.save()
    before = time_product.tariff
    response = login(manager).post(f"/catalog/{time_product.pk}/", _product_data(tariff=json.dumps(BROKEN)))
    assert response.status_code == 400
    problems = {e["field"]: e["message"] for e in response.context["tariff_errors"]}
    assert problems == {"unit": SAID[language]["unit"], "bands[0].from": SAID[language]["bands[0].from"]}
    assert response.context["form"].errors["tariff"] == [SAID[language]["top"]]
    assert SAID[language]["top"] in response.text
    time_product.refresh_from_db()
    assert time_product.tariff == before


@pytest.mark.parametrize("language", ["en", "fr", "it"])
def test_the_tariff_api_names_each_problem_in_the_requests_language(api_as, manager, language):  # noqa: F811
    api = api_as(manager)
    status, body = api.post(
        "/quote",
        {"tariff": BROKEN, "start": "2026-03-02T10:00", "end": "2026-03-02T11:00"},
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert (status, body["code"]) == (422, "invalid_tariff")
    assert {"field": "unit", "message": SAID[language]["unit"]} in body["errors"]
    assert {"field": "bands[0].from", "message": SAID[language]["bands[0].from"]} in body["errors"]
    assert SAID[language]["unit"] in body["message"]


@pytest.mark.parametrize("language", ["fr", "it"])
def test_importing_a_products_tariff_refuses_it_in_the_users_language(
    api_as,  # noqa: F811
    manager,
    time_product,
    language,
):
    manager.profile.language = language
    manager.profile.save()
    api = api_as(manager)
    status, document = api.get(f"/products/{time_product.pk}/tariff")
    assert status == 200
    status, body = api.put(f"/products/{time_product.pk}/tariff", {**document, "per_unit": "0.705"})
    assert (status, body["errors"]) == (422, [{"field": "per_unit", "message": SAID[language]["per_unit"]}])
    assert Product.objects.get(pk=time_product.pk).tariff == time_product.tariff


def test_the_engine_keeps_english_message_ids_that_the_edge_reads_in_the_active_language():
    with pytest.raises(TariffError) as caught:
        parse_tariff(BROKEN)
    error = caught.value
    assert {p.path: p.text.message for p in error.problems}["unit"] == "{value} must be longer than zero"
    with translation.override("fr"):
        assert 'unit: "0m" doit être plus long que zéro' in error.errors
        assert 'unit: "0m" must be longer than zero' in str(error)  # what a log or the engine's CLI shows
    with translation.override("it"):
        assert error.message.count("; ") == 1 and 'unit: "0m" deve essere più lungo di zero' in error.message
