"""Names stored as data in the reader's language: the VAT rates a business starts with are shown in the
manager's words, a rate a manager named is shown as typed in every language; and a product's "Description"
is not the invoice column's (Désignation)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from timetill.billing.models import SEEDED_RATE_NAMES, VatRate
from timetill.billing.vat_rates import add_vat_rate
from timetill.timelines.actors import Actor
from timetill.timelines.models import Via

SEEDED = {
    "fr": [
        "Taux normal (20 %)",
        "Taux intermédiaire (10 %)",
        "Taux réduit (5,5 %)",
        "Taux super-réduit (2,1 %)",
    ],
    "it": [
        "Aliquota ordinaria (20 %)",
        "Aliquota intermedia (10 %)",
        "Aliquota ridotta (5,5 %)",
        "Aliquota super ridotta (2,1 %)",
    ],
}
NO_VAT = {"fr": "Sans TVA", "it": "Senza IVA"}


def _speaking(user, language):
    user.profile.language = language
    user.profile.save()
    return user


@pytest.mark.parametrize("language", ["fr", "it"])
def test_the_seeded_vat_rates_are_named_in_the_managers_language(login, manager, language):
    client = login(_speaking(manager, language))
    form = client.get(reverse("product-new", args=["simple"])).content.decode()
    for name in SEEDED[language]:
        assert f">{name}</option>" in form
    rates = client.get(reverse("billing-vat-rates")).content.decode()
    assert f"<td>{NO_VAT[language]}</td>" in rates
    for english in SEEDED_RATE_NAMES:
        assert english not in form and english not in rates


@pytest.mark.parametrize("language", ["en", "fr", "it"])
def test_a_rate_a_manager_named_is_shown_as_typed(login, manager, language):
    add_vat_rate(
        name="Asilo nido (esente)",
        rate=Decimal(0),
        category="E",
        exemption_reason="Esente IVA art. 10 n. 20 DPR 633/72",
        exemption_code="N4",
        actor=Actor.for_user(manager, via=Via.MANUAL),
    )
    rates = login(_speaking(manager, language)).get(reverse("billing-vat-rates")).content.decode()
    assert "<td>Asilo nido (esente)</td>" in rates
    assert VatRate.objects.filter(name="Standard rate").exists()  # the stored name stays the seeded one


@pytest.mark.parametrize(("language", "label"), [("fr", "Description"), ("it", "Descrizione")])
def test_a_products_description_field_is_its_description_not_an_invoices_column(
    login, manager, language, label
):
    form = login(_speaking(manager, language)).get(reverse("product-new", args=["simple"])).content.decode()
    assert f">{label}</label>" in form and "Désignation" not in form
