"""Every model and field of Timetill is named for translation (the admin's headings, column headers and form
labels), and the admin shows those names in the user's language."""

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils.functional import Promise

TIMETILL_MODELS = [model for model in apps.get_models() if model.__module__.startswith("timetill.")]
ADMIN = {
    "fr": {
        "/admin/customers/customer/add/": ["Ajout de client", "Groupe", "Langue", "Notes"],
        "/admin/sites/site/add/": ["Fuseau horaire", "Capacité", "Séjour maximal (minutes)", "Code inconnu"],
        "/admin/invoicing/family/add/": [
            "Ajout de famille",
            "Payeurs",
            "Code fiscal",
            "Enfants des familles",
        ],
    },
    "it": {
        "/admin/customers/customer/add/": ["Aggiungi cliente", "Gruppo", "Lingua", "Note"],
        "/admin/sites/site/add/": [
            "Fuso orario",
            "Capienza",
            "Permanenza massima (minuti)",
            "Codice sconosciuto",
        ],
        "/admin/invoicing/family/add/": [
            "Aggiungi famiglia",
            "Paganti",
            "Codice fiscale",
            "Bambini delle famiglie",
        ],
    },
}
ENGLISH = ["Scanned code", "Time zone", "Max stay minutes", "Bounce seconds", "Tax code", "Family childs"]


def test_there_are_models_to_check():
    assert len(TIMETILL_MODELS) > 30


@pytest.mark.parametrize("model", TIMETILL_MODELS, ids=lambda model: model._meta.label)
def test_a_model_and_each_of_its_fields_have_a_translatable_name(model):
    """Django's default names ("vat rate", "product variants") are English words no catalogue translates."""
    options = model._meta.original_attrs
    unnamed = [
        key for key in ("verbose_name", "verbose_name_plural") if not isinstance(options.get(key), Promise)
    ]
    for field in model._meta.get_fields(include_hidden=False):
        if field.auto_created or not field.concrete or field.model is not model:
            continue
        if not isinstance(field._verbose_name, Promise):
            unnamed.append(field.name)
    assert unnamed == []


@pytest.mark.parametrize("language", ["fr", "it"])
def test_the_admin_names_models_and_fields_in_the_users_language(client, django_user_model, language):
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "root-password-1")
    client.force_login(admin)
    for address, texts in ADMIN[language].items():
        page = client.get(address, HTTP_ACCEPT_LANGUAGE=language).text
        for text in texts:
            assert text in page, (address, text)
        for english in ENGLISH:
            assert english not in page, (address, english)


@pytest.mark.django_db
def test_the_migrations_know_every_name():
    """Names are state only (no SQL), but Django wants them in a migration: none is missing."""
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
