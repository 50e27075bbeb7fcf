"""Importing customers from CSV and XLSX: 500 rows with 3 wrong ones, each named with why; nothing imported
until chosen; the valid rows only when chosen; the page, the service and `timetill customers import`."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import Workbook

from timetill.customers.codes import make_ean13
from timetill.customers.importing import import_rows, read_rows
from timetill.customers.models import Code, Customer, CustomerGroup

pytestmark = pytest.mark.django_db


def five_hundred_with_three_wrong() -> str:
    """500 customers; row 42 has no name, row 137 an EAN with a wrong check digit, row 400 repeats row 399's
    code."""
    lines = ["name;group;email;codes"]
    for i in range(1, 501):
        code = make_ean13(f"2990{i:08d}")
        name, email = f"Élève {i:03d}", f"parent{i}@example.com"
        if i == 41:
            name = ""
        if i == 136:
            code = code[:-1] + str((int(code[-1]) + 1) % 10)
        if i == 399:
            code = make_ean13(f"2990{398:08d}")
        lines.append(f"{name};{'Crèche' if i % 2 else 'Maternelle'};{email};{code}")
    return "\n".join(lines) + "\n"


def test_the_three_wrong_rows_are_named_with_why(db):
    rows = read_rows(five_hundred_with_three_wrong().encode(), "children.csv")
    wrong = {row.number: row.problems for row in rows if not row.ok}
    assert set(wrong) == {42, 137, 400}
    assert wrong[42] == ["The name is missing."]
    assert "check digit should be" in wrong[137][0]
    assert wrong[400] == [f"Code {make_ean13('299000000398')} is also on row 399."]


def test_nothing_is_imported_while_a_row_is_wrong_unless_valid_only(db):
    rows = read_rows(five_hundred_with_three_wrong().encode(), "children.csv")
    with pytest.raises(Exception, match="3 row"):
        import_rows(rows, valid_only=False)
    assert Customer.objects.count() == 0
    outcome = import_rows(rows, valid_only=True)
    assert (outcome.imported, outcome.skipped, outcome.groups_created) == (497, 3, 2)
    assert Customer.objects.count() == 497 and Code.objects.count() == 497
    assert Customer.objects.get(name="Élève 007").group.name == "Crèche"


def test_a_ladder_steps_barcode_is_a_wrong_row(db):
    from tests.backoffice.test_customers import _ladder_with_barcode

    _ladder_with_barcode("4006381333931")
    rows = read_rows(b"name,codes\nBob,4006381333931\n", "x.csv")
    step = "the barcode of the ladder step “Billiard – 1 h”"
    assert rows[0].problems == [f"Code 4006381333931 is already {step}."]
    with pytest.raises(Exception, match="1 row"):
        import_rows(rows, valid_only=False)
    assert not Customer.objects.exists()


def test_a_code_already_given_is_a_wrong_row(make_customer):
    make_customer("Alice", codes=[("2000000000015", "ean13")])
    rows = read_rows(b"name,codes\nBob,2000000000015\n", "x.csv")
    assert rows[0].problems == ["Code 2000000000015 already belongs to Alice."]


def test_an_xlsx_file_reads_like_a_csv(db):
    book = Workbook()
    sheet = book.active
    sheet.append(["Name", "Group", "Code"])
    sheet.append(["Léa Rousseau", "Members", "2000000000015"])
    sheet.append(["Zoé", None, 2000000000022])  # a spreadsheet keeps long digits as a number
    out = io.BytesIO()
    book.save(out)
    rows = read_rows(out.getvalue(), "people.xlsx")
    assert [(r.name, r.group, r.values, r.ok) for r in rows] == [
        ("Léa Rousseau", "Members", ["2000000000015"], True),
        ("Zoé", "", ["2000000000022"], True),
    ]


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "a.csv", "empty"),
        (b"group,codes\nA,1\n", "a.csv", "name"),
        (b"PK\x03\x04junk", "a.xlsx", "XLSX"),
    ],
)
def test_a_file_that_cannot_be_read_says_why(db, content, name, message):
    with pytest.raises(Exception, match=message):
        read_rows(content, name)


def test_the_page_previews_then_imports_only_when_chosen(login, manager):
    client = login(manager)
    upload = io.BytesIO(five_hundred_with_three_wrong().encode())
    upload.name = "children.csv"
    response = client.post(reverse("bo-customer-import"), {"file": upload})
    assert response.url == reverse("bo-customer-import-preview")
    page = client.get(response.url)
    assert [row.number for row in page.context["wrong"]] == [42, 137, 400]
    text = page.content.decode()
    assert "3 wrong rows" in text and "The name is missing." in text and "is also on row 399" in text
    assert "Import the 497 valid rows only" in text
    assert Customer.objects.count() == 0
    # Confirming without choosing the valid rows only imports nothing.
    assert client.post(response.url).status_code == 400
    assert Customer.objects.count() == 0
    assert client.post(response.url, {"valid_only": "1"}).url == reverse("bo-customers")
    assert Customer.objects.count() == 497
    assert CustomerGroup.objects.count() == 2


def test_the_command_imports_a_clean_file_and_refuses_a_wrong_one(tmp_path, db, capsys):
    clean = tmp_path / "clean.csv"
    clean.write_text("name,codes\nLéa,2000000000015\nHugo,QR-77\n", encoding="utf-8")
    call_command("customers", "import", str(clean))
    assert set(Customer.objects.values_list("name", flat=True)) == {"Léa", "Hugo"}
    wrong = tmp_path / "wrong.csv"
    wrong.write_text(five_hundred_with_three_wrong(), encoding="utf-8")
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("customers", "import", str(wrong))
    assert "row 137: " in capsys.readouterr().err
    assert Customer.objects.count() == 2
    call_command("customers", "import", str(wrong), "--valid-only")
    assert Customer.objects.count() == 499
