"""Refusals a French or Italian user reads in their language: the API's field checks, the money rules' errors
(raised without Django, translated where they are shown), and the commands run at a shell."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from tests.api.conftest import api_as  # noqa: F401 - fixture
from timetill.billing.models import VatRate
from timetill.billing.money import BillingError, VatCategory, VatSpec, check_amount
from timetill.cli import main
from timetill.console import console_language
from timetill.customers import importing
from timetill.customers.models import Customer
from timetill.errors import Forbidden
from timetill.timelines.actors import Actor


@pytest.mark.parametrize(
    ("language", "messages"),
    [
        (
            "fr",
            [
                "Le nom ne doit pas contenir de caractères de contrôle "
                "(comme une tabulation ou un saut de ligne).",
                "L’adresse e-mail doit s’écrire comme claire@example.org.",
            ],
        ),
        (
            "it",
            [
                "Il nome non deve contenere caratteri di controllo (come una tabulazione o un a capo).",
                "L’indirizzo e-mail deve essere scritto come claire@example.org.",
            ],
        ),
    ],
)
def test_the_apis_own_field_checks_speak_the_browsers_language(api_as, cashier, language, messages):  # noqa: F811
    status, body = api_as(cashier).post(
        "/customers", {"name": "Léa\tMartin", "email": "lea-at-home"}, HTTP_ACCEPT_LANGUAGE=language
    )
    assert (status, body["code"]) == (422, "invalid_input")
    assert [(e["field"], e["message"]) for e in body["errors"]] == [
        ("name", messages[0]),
        ("email", messages[1]),
    ]
    assert not Customer.objects.exists()


@pytest.mark.parametrize(
    ("language", "exempt_at_20", "decimals"),
    [
        (
            "fr",
            "Le taux de la catégorie « Exonéré de TVA » est zéro, pas 20 pour cent.",
            "12,345\xa0€ a trop de décimales : EUR en a 2 au plus.",
        ),
        (
            "it",
            "L’aliquota della categoria «Esente IVA» è zero, non 20 per cento.",
            "€\xa012,345 ha troppi decimali: EUR ne ha al massimo 2.",
        ),
        (
            "en",
            "The rate of the category “Exempt from VAT” is zero, not 20 percent.",
            "€12.345 has too many decimals: EUR has 2 at most.",
        ),
    ],
)
def test_the_money_rules_errors_read_in_the_active_language(language, exempt_at_20, decimals):
    with pytest.raises(BillingError) as exempt:
        VatSpec(Decimal(20), VatCategory.EXEMPT, "art. 10 DPR 633/72")
    with pytest.raises(BillingError) as too_precise:
        check_amount(Decimal("12.345"), "EUR", "amount")
    with translation.override(language):
        assert (exempt.value.code, exempt.value.field, exempt.value.message) == (
            "invalid_vat_rate",
            "rate",
            exempt_at_20,
        )
        assert (too_precise.value.code, too_precise.value.field) == ("too_many_decimals", "amount")
        assert too_precise.value.message == decimals
    # The error itself knows no language: the same error reads in the language of whoever shows it.
    with translation.override("en"):
        assert exempt.value.message.startswith("The rate of the category")


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("fr", "Indiquez pourquoi aucune TVA n’est facturée et en vertu de quelle loi"),
        ("it", "Indica perché non si applica l’IVA e in base a quale norma"),
    ],
)
def test_a_refused_vat_rate_is_told_at_its_field_in_the_managers_language(login, manager, language, words):
    manager.profile.language = language
    manager.profile.save()
    data = {"name": "Crèche", "rate": "0", "category": "E", "exemption_reason": "", "exemption_code": ""}
    page = login(manager).post(reverse("billing-vat-rates"), data)
    assert page.status_code == 400
    assert f'<small class="field-error" data-field="exemption_reason">{words}' in page.content.decode()
    assert not VatRate.objects.filter(name="Crèche").exists()


@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({"LANG": "fr_FR.UTF-8"}, "fr"),
        ({"LANG": "it_IT.UTF-8"}, "it"),
        ({"LANGUAGE": "it:fr", "LANG": "fr_FR.UTF-8"}, "it"),
        ({"LC_ALL": "C.UTF-8", "LANG": "fr_FR.UTF-8"}, "en"),  # the first one set decides
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({}, "en"),
    ],
)
def test_a_command_speaks_the_shells_language(environ, language):
    assert console_language(environ) == language


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("fr_FR.UTF-8", "Le site « nowhere » n’existe pas (sites : front)."),
        ("it_IT.UTF-8", "Il sito «nowhere» non esiste (siti: front)."),
    ],
)
def test_a_commands_refusal_reads_in_the_shells_language(db, site, monkeypatch, capsys, lang, message):
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", lang)
    with pytest.raises(SystemExit):
        main(["scan", "2000000000015", "--site", "nowhere"])
    assert capsys.readouterr().err.strip() == f"CommandError: {message}"
    assert translation.get_language() == "en"  # the shell's language ends with the command


@pytest.mark.parametrize(
    ("language", "problems"),
    [
        ("fr", ["Le nom manque.", "« lea-at-home » n’est pas une adresse e-mail."]),
        ("it", ["Manca il nome.", "«lea-at-home» non è un indirizzo e-mail."]),
    ],
)
def test_an_imported_files_wrong_rows_are_told_in_the_managers_language(db, language, problems):
    with translation.override(language):
        rows = importing.read_rows(b"name,email\n,lea-at-home\n", "famille.csv")
    assert rows[0].problems == problems


@pytest.mark.parametrize(
    ("language", "message"),
    [
        (
            "fr",
            "Vous n’avez pas le droit « Gérer les produits, les tarifs et les forfaits » (manage_catalog).",
        ),
        ("it", "Non hai il diritto «Gestire prodotti, tariffe e pacchetti» (manage_catalog)."),
    ],
)
def test_a_missing_right_is_named_by_its_translated_label_whole(cashier, language, message):
    with pytest.raises(Forbidden) as refused, translation.override(language):
        Actor.for_user(cashier).require("manage_catalog")
    with translation.override(language):
        assert refused.value.message == message


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("fr", "Vous n’avez pas le droit « track_time » : demandez à un responsable"),
        ("it", "Non hai il diritto «track_time»: chiedi a un responsabile"),
    ],
)
def test_the_not_allowed_page_speaks_the_users_language(login, make_parent, language, words):
    parent = make_parent()
    parent.profile.language = language
    parent.profile.save()
    page = login(parent).get("/timestamp/")
    assert page.status_code == 403
    assert words in page.content.decode()
