"""Every refusal of the customers' service (CustomerError) is said in the reader's language: each code in
French and Italian, and through the API and the back office as a person sees them."""

import pytest
from django.utils import translation

from tests.api.conftest import api_as  # noqa: F401 - fixture
from tests.catalog.conftest import ladder_product  # noqa: F401 - fixture
from timetill.customers import services
from timetill.customers.models import CustomerGroup

LADDER_BARCODE = "2000000000015"  # a ladder step's own barcode (tests/catalog/conftest.py)


def _refusals(make_user, customer) -> dict:
    """Each way the service refuses, by its code, as a call that raises it."""
    inactive = make_user("parent")
    inactive.is_active = False
    inactive.save()
    services.create_group(name="Members")
    return {
        "invalid_name": lambda: services.create_customer(name="   "),
        "invalid_name (long)": lambda: services.create_customer(name="x" * 201),
        "invalid_kind": lambda: services.add_code(customer=customer, value="ABC123", kind="barcode"),
        "invalid_ean": lambda: services.add_code(customer=customer, value="ABC123", kind="ean13"),
        "invalid_ean (check digit)": lambda: services.add_code(customer=customer, value="4006381333932"),
        "empty_code": lambda: services.add_code(customer=customer, value="  "),
        "code_too_long": lambda: services.add_code(customer=customer, value="A" * 65),
        "malformed_code": lambda: services.add_code(customer=customer, value="A B"),
        "code_reserved (time line)": lambda: services.add_code(customer=customer, value="TL0123456789"),
        "code_reserved (ladder step)": lambda: services.add_code(customer=customer, value=LADDER_BARCODE),
        "code_taken": lambda: services.add_code(customer=customer, value="CARD-1"),
        "invalid_email": lambda: services.update_customer(customer=customer, email="not an address"),
        "invalid_language": lambda: services.update_customer(customer=customer, language="de"),
        "inactive_user": lambda: services.add_guardian(customer=customer, user=inactive),
        "invalid_group": lambda: services.create_group(name=""),
        "invalid_group (long)": lambda: services.create_group(name="g" * 101),
        "group_taken": lambda: services.create_group(name="Members"),
    }


def _message(refusal) -> tuple[str, str]:
    with pytest.raises(services.CustomerError) as caught:
        refusal()
    return caught.value.code, caught.value.message


@pytest.mark.parametrize("language", ["fr", "it"])
def test_each_refusal_of_the_customers_service_is_translated(db, make_user, ladder_product, language):  # noqa: F811
    customer = services.create_customer(name="Chloé Lefèvre", codes=[("CARD-1", None)])
    refusals = _refusals(make_user, customer)
    untranslated = []
    for what, refusal in refusals.items():
        with translation.override("en"):
            code, english = _message(refusal)
        with translation.override(language):
            same_code, said = _message(refusal)
        assert same_code == code == what.split(" ")[0]
        if said == english:
            untranslated.append((what, said))
    assert untranslated == []


def test_the_api_refuses_a_customers_code_in_the_browsers_language(api_as, cashier, ladder_product):  # noqa: F811
    customer = services.create_customer(name="Léa Martin")
    api = api_as(cashier)
    status, body = api.post(
        f"/customers/{customer.pk}/codes", {"value": LADDER_BARCODE}, HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert (status, body["code"]) == (400, "code_reserved")
    assert body["message"] == (
        f"{LADDER_BARCODE} est déjà le code-barres de la marche « Billiard table – 1 hour » : "
        "une carte ne peut pas le porter."
    )


def test_the_back_office_refuses_a_group_in_the_managers_language(login, manager):
    manager.profile.language = "it"
    manager.profile.save()
    CustomerGroup.objects.create(name="Members")
    response = login(manager).post("/backoffice/customers/groups/", {"name": "Members"})
    assert response.status_code == 400
    assert "Il gruppo «Members» esiste già." in response.text
    assert CustomerGroup.objects.count() == 1
