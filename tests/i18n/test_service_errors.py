"""The services' refusals speak the user's language through the API: Accept-Language, or the preference."""

import pytest

from tests.api.conftest import api_as  # noqa: F401 - fixture
from tests.catalog.conftest import CAR_PARK


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "There is no sale 999999."),
        ("fr", "La vente 999999 n'existe pas."),
        ("it", "La vendita 999999 non esiste."),
    ],
)
def test_a_till_refusal_in_the_browsers_language(
    api_as,  # noqa: F811
    cashier,
    language,
    message,
):
    status, body = api_as(cashier).get("/sales/999999", HTTP_ACCEPT_LANGUAGE=f"{language},en;q=0.5")
    assert (status, body["code"], body["message"]) == (404, "unknown_sale", message)


def test_a_refusal_follows_the_users_preference_over_the_browser(api_as, manager):  # noqa: F811
    manager.profile.language = "fr"
    manager.profile.save()
    status, body = api_as(manager).post(
        "/quote",
        {"tariff": CAR_PARK, "start": "2026-03-02T10:00", "end": "2026-03-02T11:00", "group": "ghosts"},
        HTTP_ACCEPT_LANGUAGE="it",
    )
    assert (status, body["code"]) == (404, "unknown_group")
    assert body["message"] == (
        "Le groupe de clients « ghosts » n'existe pas : indiquez-en un parmi members, ou aucun."
    )
