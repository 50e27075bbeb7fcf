"""Customers pages: the list and its search, create and edit, codes checked at the field, guardians, groups,
export, every change recorded."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from timetill.accounts.models import Change
from timetill.customers.models import Code, Customer, CustomerGroup, Guardian

pytestmark = pytest.mark.django_db


def _snapshot() -> list:
    return [
        list(Customer.objects.order_by("pk").values_list("pk", "name", "group", "email", "notes")),
        list(Code.objects.order_by("pk").values_list("customer", "value", "kind")),
        list(Guardian.objects.values_list("user", "customer")),
        Change.objects.count(),
    ]


def _errors(response, form: str, field: str) -> str:
    return " ".join(response.context[form].errors.get(field, []))


def test_the_list_searches_without_accents_case_or_whole_codes(login, manager, make_customer):
    make_customer("Léa Rousseau", codes=[("2000000000015", "ean13")])
    make_customer("Hugo Lefèvre", ean=False)
    client = login(manager)
    page = client.get(reverse("bo-customers"), {"q": "lefevre"}).content.decode()
    assert "Hugo Lefèvre" in page and "Léa Rousseau" not in page
    page = client.get(reverse("bo-customers"), {"q": "0015"}).content.decode()
    assert "Léa Rousseau" in page and "Hugo Lefèvre" not in page


def test_a_manager_creates_a_customer_then_adds_a_code(login, manager):
    group = CustomerGroup.objects.create(name="Members")
    client = login(manager)
    response = client.post(
        reverse("bo-customer-new"), {"name": "Chloé Petit", "group": group.pk, "email": ""}
    )
    chloe = Customer.objects.get(name="Chloé Petit")
    assert response.url == reverse("bo-customer", kwargs={"pk": chloe.pk})
    response = client.post(
        reverse("bo-code-add", kwargs={"pk": chloe.pk}), {"value": "4006381333931", "kind": ""}
    )
    assert response.status_code == 302
    assert list(chloe.codes.values_list("value", "kind")) == [("4006381333931", "ean13")]
    actions = set(
        Change.objects.filter(subject="customer", subject_id=chloe.pk).values_list("action", flat=True)
    )
    assert actions == {"create", "add code"}


@pytest.mark.parametrize(
    ("value", "kind", "message"),
    [
        ("4006381333932", "", "check digit should be 1"),
        ("4006381333932", "ean13", "check digit should be 1"),
        ("ABC", "ean13", "not a valid EAN-13"),
        ("TL0A1B2C3D4E", "", "time line's own code"),
        ("x" * 65, "", "at most 64 characters"),
        ("two words", "", "no spaces"),
    ],
)
def test_a_wrong_code_is_refused_at_the_field_and_nothing_is_saved(
    login, manager, make_customer, value, kind, message
):
    alice = make_customer("Alice")
    before = _snapshot()
    response = login(manager).post(
        reverse("bo-code-add", kwargs={"pk": alice.pk}), {"value": value, "kind": kind}
    )
    assert response.status_code == 400
    assert message in _errors(response, "code_form", "value")
    assert _snapshot() == before


def test_a_code_of_another_customer_is_refused_at_the_field(login, manager, make_customer):
    make_customer("Alice", codes=[("2000000000015", "ean13")])
    bob = make_customer("Bob", ean=False)
    before = _snapshot()
    response = login(manager).post(reverse("bo-code-add", kwargs={"pk": bob.pk}), {"value": "2000000000015"})
    assert response.status_code == 400
    assert "already belongs to a customer" in _errors(response, "code_form", "value")
    assert _snapshot() == before


def _ladder_with_barcode(barcode: str) -> None:
    from timetill.catalog.services import ProductSpec, VariantSpec, create_product
    from timetill.timelines.actors import Actor

    spec = ProductSpec(
        kind="ladder", internal_name="Billiard", short_name="Billiard", vat_rate="20",
        variants=(VariantSpec("1 h", 60, "6.00", barcode=barcode),),
    )  # fmt: skip
    create_product(spec=spec, actor=Actor.operator())


def test_a_ladder_steps_barcode_is_refused_as_a_customer_code_at_the_field(login, manager, make_customer):
    _ladder_with_barcode("4006381333931")
    bob = make_customer("Bob", ean=False)
    before = _snapshot()
    response = login(manager).post(reverse("bo-code-add", kwargs={"pk": bob.pk}), {"value": "4006381333931"})
    assert response.status_code == 400
    assert _errors(response, "code_form", "value") == (
        "4006381333931 is already the barcode of the ladder step “Billiard – 1 h”: a card cannot carry it."
    )
    assert _snapshot() == before
    # The other way round (the step form refusing a card's code): tests/catalog/test_ladder_steps.py.


def test_removing_a_code_frees_it_and_is_recorded(login, manager, make_customer):
    alice = make_customer("Alice", codes=[("2000000000015", "ean13")])
    code = alice.codes.get()
    login(manager).post(reverse("bo-code-remove", kwargs={"pk": alice.pk, "code_pk": code.pk}))
    assert not Code.objects.filter(value="2000000000015").exists()
    assert Change.objects.get(action="remove code").old == {"code": "2000000000015"}


def test_editing_a_customer_records_old_and_new(login, manager, make_customer):
    alice = make_customer("Alice", group="Visitors")
    members = CustomerGroup.objects.create(name="Members")
    data = {"name": "Alice Martin", "group": members.pk, "email": "alice@example.com", "notes": ""}
    assert login(manager).post(reverse("bo-customer", kwargs={"pk": alice.pk}), data).status_code == 302
    change = Change.objects.get(subject="customer", action="update")
    assert change.old == {"name": "Alice", "group": "Visitors", "email": ""}
    assert change.new == {"name": "Alice Martin", "group": "Members", "email": "alice@example.com"}


def test_a_bad_e_mail_or_empty_name_is_refused_at_the_field(login, manager, make_customer):
    alice = make_customer("Alice")
    before = _snapshot()
    response = login(manager).post(
        reverse("bo-customer", kwargs={"pk": alice.pk}), {"name": " ", "email": "nope"}
    )
    assert response.status_code == 400
    assert _errors(response, "form", "name") and _errors(response, "form", "email")
    assert _snapshot() == before


def test_a_guardian_is_added_and_removed(login, manager, make_customer, make_user):
    child = make_customer("Tom")
    parent = make_user("parent")
    client = login(manager)
    client.post(reverse("bo-guardian-add", kwargs={"pk": child.pk}), {"user": parent.pk})
    guardian = Guardian.objects.get(customer=child, user=parent)
    client.post(reverse("bo-guardian-remove", kwargs={"pk": child.pk, "guardian_pk": guardian.pk}))
    assert not Guardian.objects.exists()
    assert Change.objects.filter(action__in=["add guardian", "remove guardian"]).count() == 2


def test_groups_are_created_and_renamed_and_a_duplicate_is_refused(login, manager):
    client = login(manager)
    client.post(reverse("bo-groups"), {"name": "Members"})
    group = CustomerGroup.objects.get()
    client.post(reverse("bo-groups"), {"group": group.pk, "name": "Members 2026"})
    group.refresh_from_db()
    assert group.name == "Members 2026"
    response = client.post(reverse("bo-groups"), {"name": "members 2026"})
    assert response.status_code == 400
    assert CustomerGroup.objects.count() == 1


def test_export_as_csv_and_xlsx_reads_back_as_the_import_columns(login, manager, make_customer):
    make_customer("Léa Rousseau", group="Members", codes=[("2000000000015", "ean13"), ("QR-1", "qr")])
    client = login(manager)
    body = client.get(reverse("bo-customer-export", kwargs={"fmt": "csv"})).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows == [
        ["name", "group", "email", "codes", "notes"],
        ["Léa Rousseau", "Members", "", "2000000000015 QR-1", ""],
    ]
    response = client.get(reverse("bo-customer-export", kwargs={"fmt": "xlsx"}))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[2]][:2] == ["Léa Rousseau", "Members"]
