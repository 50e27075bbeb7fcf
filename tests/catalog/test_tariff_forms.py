"""Tariffs by form: every example document of docs/examples goes into the forms and comes back the same
(through the product page and the preview, over HTTP), and every bad value is refused at its field in the
manager's words with nothing saved."""

import json
import re
from pathlib import Path

import pytest
from django.utils.html import escape

from tests.catalog.test_pages import _product_data, _snapshot, _steps
from tests.web.conftest import HX
from timetill.catalog.models import Product
from timetill.catalog.tariff_forms import TariffEditor, as_query_dict, data_of
from timetill.pricing import parse_tariff

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
DOC = Path(__file__).resolve().parents[2] / "timetill" / "pricing" / "docs" / "tariffs.md"
PRODUCT_KIND = {"rate": "time", "daily": "daily_time"}


def _example(name: str) -> dict:
    return json.loads((EXAMPLES / name).read_text())


def _canonical(document: dict) -> dict:
    """The document as the engine writes it, without what the product sets (its VAT rate and price basis)."""
    written = parse_tariff(document).to_document()
    written.pop("vat_rate", None)
    written.pop("prices_include_vat", None)
    return written


def _form_post(document: dict, **changes: str) -> dict:
    """What the product page posts with the form tab: the product's fields and the tariff's forms."""
    data = _product_data(internal_name="Tariff", short_name="Tariff", vat_rate="20")
    data |= {"kind": PRODUCT_KIND[document["kind"]], "tariff_editor": "form", "tariff": ""}
    form_data = data_of(document["kind"], parse_tariff(document).to_document())
    return data | form_data | changes


def _examples(*kinds: str) -> list[str]:
    return sorted(p.name for p in EXAMPLES.glob("*.json") if json.loads(p.read_text())["kind"] in kinds)


# -- the round trip, for every kind ------------------------------------------------------------------------


def test_docs_examples_hold_every_kind_and_are_the_documentations_own():
    kinds = {json.loads(p.read_text())["kind"] for p in EXAMPLES.glob("*.json")}
    assert kinds == {"ladder", "rate", "daily"}
    documented = [
        json.loads(body) for body in re.findall(r"^```json\n(.*?)^```", DOC.read_text(), re.S | re.M)
    ]
    for path in EXAMPLES.glob("*.json"):
        assert json.loads(path.read_text()) in documented, (
            f"{path.name} differs from the tariff documentation"
        )


def _documented(*kinds: str) -> list[dict]:
    blocks = re.findall(r"^```json\n(.*?)^```", DOC.read_text(), re.S | re.M)
    return [doc for doc in (json.loads(body) for body in blocks) if doc["kind"] in kinds]


@pytest.mark.parametrize("document", _documented("rate", "daily"), ids=lambda d: d.get("name", "?"))
def test_every_documented_tariff_goes_into_the_forms_and_comes_back(document):
    editor = TariffEditor(document["kind"], as_query_dict(data_of(document["kind"], document)))
    assert editor.is_valid(), [form.errors for form in editor.forms if form.errors]
    assert parse_tariff(editor.document() | _product_part(document)).to_document() == document


def _product_part(document: dict) -> dict:
    return {k: document[k] for k in ("vat_rate", "prices_include_vat") if k in document}


@pytest.mark.parametrize("name", _examples("rate", "daily"))
def test_an_example_goes_into_the_forms_and_comes_back_the_same(name):
    document = _example(name)
    editor = TariffEditor(document["kind"], as_query_dict(data_of(document["kind"], document)))
    assert editor.is_valid(), [form.errors for form in editor.forms if form.errors]
    assert _canonical(editor.document()) == _canonical(document)


@pytest.mark.parametrize("name", _examples("rate", "daily"))
def test_an_example_saved_from_the_form_is_stored_as_its_document(login, manager, name):
    document = _example(name)
    kind = PRODUCT_KIND[document["kind"]]
    response = login(manager).post(f"/catalog/new/{kind}/", _form_post(document))
    assert response.status_code == 302, response.context and response.context["editor"].head.errors
    product = Product.objects.get()
    assert _canonical(product.tariff) == _canonical(document)
    # And the page of the saved product shows it in the form again, and in the JSON tab.
    page = login(manager).get(f"/catalog/{product.pk}/")
    editor = page.context["editor"]
    assert editor.is_valid() and _canonical(editor.document()) == _canonical(document)
    assert json.loads(page.context["form"]["tariff"].value()) == product.tariff


@pytest.mark.parametrize("name", _examples("rate", "daily"))
def test_a_json_edit_fills_the_form_and_a_form_edit_writes_the_json(login, manager, name):
    document = _example(name)
    client = login(manager)
    data = _product_data(internal_name="Tariff", short_name="Tariff", vat_rate="20")
    data |= {"kind": PRODUCT_KIND[document["kind"]], "tariff_editor": "json", "tariff": json.dumps(document)}
    from_json = client.post("/catalog/preview/", data, **HX)
    assert 'id="tariff-form-fields" hx-swap-oob="innerHTML"' in from_json.text
    editor = from_json.context["editor"]
    assert editor.is_valid() and _canonical(editor.document()) == _canonical(document)

    from_form = client.post("/catalog/preview/", _form_post(document), **HX)
    assert 'id="tariff-json-box" hx-swap-oob="innerHTML"' in from_form.text
    assert _canonical(json.loads(from_form.context["json_text"])) == _canonical(document)
    assert "tariff-form-fields" not in from_form.text  # the form being typed in is left alone


def test_a_ladders_steps_make_its_document_and_price_in_the_preview(login, manager):
    ladder = _example("billiard.json")
    rows = [
        (f"{int(s['duration'][:-1])} h", int(s["duration"][:-1]) * 60, s["price"], "")
        for s in ladder["steps"]
    ]
    data = _product_data(internal_name="Billiard", short_name="Billiard", vat_rate="20") | _steps(*rows)
    data |= {
        "kind": "ladder",
        "preview-duration": "3:30",
        "preview-day": "2026-03-02",
        "preview-start": "10:00",
    }
    response = login(manager).post("/catalog/preview/", data, **HX)
    assert response.context["total"] == "22.00"  # the tariff help's 3 h 30 on the 1 h / 2 h ladder
    saved = login(manager).post("/catalog/new/ladder/", data)
    assert saved.status_code == 302
    export = login(manager).get(f"/catalog/{Product.objects.get().pk}/tariff.json").json()
    steps = [(s["duration"], s["price"]) for s in parse_tariff(export).to_document()["steps"]]
    assert steps == [(s["duration"], s["price"]) for s in ladder["steps"]]


def test_the_preview_prices_a_daily_time_week(login, manager):
    data = _form_post(_example("extra-hours.json")) | {"preview-week": "2026-10-07"}
    for day, arrival, departure in [
        ("mon", "08:00", "16:10"), ("tue", "08:00", "16:11"), ("wed", "07:40", "16:00"),
        ("thu", "08:05", "16:40"), ("fri", "09:00", "12:00"),
    ]:  # fmt: skip
        data |= {f"preview-{day}_in": arrival, f"preview-{day}_out": departure}
    response = login(manager).post("/catalog/preview/", data, **HX)
    assert response.context["total"] == "38.00"
    assert [line["amount"] for line in response.context["lines"]] == [
        "0.00",
        "5.00",
        "3.00",
        "10.00",
        "20.00",
    ]
    assert len(response.context["week"]["days"]) == 7


def test_the_week_picture_shows_the_bands_past_midnight(login, manager):
    response = login(manager).post("/catalog/preview/", _form_post(_example("city-car-park.json")), **HX)
    days = {day["name"]: day["stretches"] for day in response.context["week"]["days"]}
    # Monday's night, 20:00 to 08:00, is drawn on Monday evening and on Tuesday morning.
    assert ("83.333", "16.667") in [(s["left"], s["width"]) for s in days["Mon"]]
    assert ("0.000", "33.333") in [(s["left"], s["width"]) for s in days["Tue"]]
    assert {item["name"] for item in response.context["week"]["legend"]} >= {"Night", "Weekend"}


# -- bad values, at their field, nothing saved -------------------------------------------------------------

RATE_CASES = [
    ({"t-price": "7.505"}, "rules", "price", "Prices have at most two decimals."),
    ({"t-block_price": "2.505"}, "rules", "block_price", "Prices have at most two decimals."),
    ({"t-price": "-1"}, "rules", "price", "A price cannot be negative."),
    ({"t-grace": "-15m"}, "rules", "grace", "A duration cannot be negative."),
    ({"t-unit": "0m"}, "rules", "unit", "A duration must be longer than zero."),
    ({"t-unit": "a quarter"}, "rules", "unit", "Write a duration like 15m, 1h, 1h30m or 90s."),
    ({"t-unit": ""}, "rules", "unit", "Give the billing unit, such as 15m."),
    ({"t-block_duration": ""}, "rules", "block_duration",
     "Give the first block's length, or leave its price empty."),
    ({"t-minimum": "20.00"}, "rules", "minimum", "The minimum charge is more than the cap per 24 hours."),
    ({"t-time_zone": "Europe/Pariss"}, "head", "time_zone",
     "“Europe/Pariss” is not a time zone: write one such as Europe/Paris."),
    ({"t-currency": "EURO"}, "head", "currency", "“EURO” is not a currency code, such as EUR."),
]  # fmt: skip


@pytest.mark.parametrize(("changes", "form", "field", "message"), RATE_CASES)
def test_a_bad_rate_value_is_refused_at_its_field(login, manager, changes, form, field, message):
    before = _snapshot()
    response = login(manager).post("/catalog/new/time/", _form_post(_example("car-park.json"), **changes))
    assert response.status_code == 400
    assert getattr(response.context["editor"], form).errors[field] == [message]
    assert f'data-field="{field}">{escape(message)}</small>' in response.text
    assert _snapshot() == before


def test_a_price_in_yen_has_no_decimals(login, manager):
    response = login(manager).post(
        "/catalog/new/time/",
        _form_post(_example("car-park.json"), **{"t-currency": "JPY", "t-price": "60.5"}),
    )
    assert response.context["editor"].rules.errors["price"] == ["Prices in JPY have no decimals."]


def _bands(*rows) -> dict:
    data = {"bands-TOTAL_FORMS": str(len(rows)), "bands-INITIAL_FORMS": "0"}
    for i, (days, start, end, price) in enumerate(rows):
        data |= {f"bands-{i}-start": start, f"bands-{i}-end": end, f"bands-{i}-price": price}
        data |= {f"bands-{i}-price_per": "unit", f"bands-{i}-name": f"Band {i}"}
        if days:
            data[f"bands-{i}-days"] = days
    return data


def test_overlapping_bands_are_refused_at_the_second_band(login, manager):
    before = _snapshot()
    data = _form_post(_example("car-park.json")) | _bands(
        (["mon"], "20:00", "08:00", "0.50"), (["tue"], "06:00", "09:00", "1.00")
    )
    response = login(manager).post("/catalog/new/time/", as_query_dict(data))
    assert response.status_code == 400
    bands = response.context["editor"].bands
    assert bands.forms[1].non_field_errors() == [
        "Overlaps band 1 on Tuesday from 06:00: a time has one price only."
    ]
    assert not bands.forms[0].errors
    assert _snapshot() == before


def test_a_band_needs_its_days_times_and_price(login, manager):
    data = _form_post(_example("car-park.json")) | _bands(([], "25:00", "", "0.555"))
    response = login(manager).post("/catalog/new/time/", as_query_dict(data))
    errors = response.context["editor"].bands.forms[0].errors
    assert errors["days"] == ["Tick the days on which the band starts."]
    assert errors["start"] == ["Write a time of day like 08:00."]
    assert errors["end"] == ["Give the time the band ends."]
    assert errors["price"] == ["Prices have at most two decimals."]


def test_tiers_out_of_order_are_refused_at_the_later_tier(login, manager):
    data = _form_post(_example("long-stay.json"))
    data |= {
        "tiers-TOTAL_FORMS": "2",
        "tiers-1-after": "2h",
        "tiers-1-price": "0.50",
        "tiers-1-price_per": "hour",
    }
    response = login(manager).post("/catalog/new/time/", data)
    assert response.status_code == 400
    tiers = response.context["editor"].tiers
    assert tiers.forms[1].errors["after"] == ["Must be later than the tier above it."]
    assert not Product.objects.exists()


def test_a_blank_row_is_no_row_but_a_wrong_one_is_wrong(login, manager):
    data = _form_post(_example("car-park.json"))
    data |= {
        "tiers-TOTAL_FORMS": "2",
        "tiers-0-price_per": "hour",
        "tiers-1-after": "abc",
        "tiers-1-price_per": "hour",
    }
    response = login(manager).post("/catalog/new/time/", data)
    tiers = response.context["editor"].tiers
    assert not tiers.forms[0].errors
    assert tiers.forms[1].errors["after"] == ["Write a duration like 15m, 1h, 1h30m or 90s."]


def test_a_group_needs_a_discount_in_range_or_a_tariff(login, manager):
    data = _form_post(_example("play-centre.json"))
    data |= {"groups-0-discount_percent": "120", "groups-1-tariff": "{not json"}
    response = login(manager).post("/catalog/new/time/", data)
    groups = response.context["editor"].groups
    assert groups.forms[0].errors["discount_percent"] == ["A discount is above 0 % and at most 100 %."]
    assert groups.forms[1].errors["tariff"] == ["Write the group's tariff as a JSON object with its kind."]


def test_a_groups_own_tariff_is_checked_by_the_engine_at_its_field(login, manager):
    nested = {
        "kind": "ladder",
        "steps": [{"duration": "2h", "price": "1.00"}, {"duration": "1h", "price": "2.00"}],
    }
    data = _form_post(_example("play-centre.json")) | {"groups-1-tariff": json.dumps(nested)}
    response = login(manager).post("/catalog/new/time/", data)
    assert response.status_code == 400
    message = response.context["editor"].groups.forms[1].errors["tariff"][0]
    assert message.startswith("steps[1].duration: must be longer than the step before it")


DAILY_CASES = [
    ({"t-tue_from": "", "t-tue_to": ""}, "tue_from", "Give Tuesday's included hours, or untick it."),
    ({"t-wed_to": "07:00"}, "wed_to", "The included hours end after they start (08:00)."),
    ({"t-thu_from": "8h61"}, "thu_from", "Write a time of day like 08:00."),
    ({"t-early": "3.005"}, "early", "Prices have at most two decimals."),
    ({"t-tolerance": "-10m"}, "tolerance", "A duration cannot be negative."),
    ({"t-late": ""}, "late", "Give the price of a unit of late departure."),
]  # fmt: skip


@pytest.mark.parametrize(("changes", "field", "message"), DAILY_CASES)
def test_a_bad_daily_time_value_is_refused_at_its_field(login, manager, changes, field, message):
    before = _snapshot()
    response = login(manager).post(
        "/catalog/new/daily_time/", _form_post(_example("extra-hours.json"), **changes)
    )
    assert response.status_code == 400
    assert response.context["editor"].rules.errors[field] == [message]
    assert _snapshot() == before


def test_daily_time_needs_an_included_day_and_a_time_zone(login, manager):
    changes = {f"t-{day}_on": "" for day in ("mon", "tue", "wed", "thu")} | {"t-time_zone": ""}
    data = {k: v for k, v in _form_post(_example("extra-hours.json"), **changes).items() if v != ""}
    response = login(manager).post("/catalog/new/daily_time/", data)
    editor = response.context["editor"]
    assert editor.rules.non_field_errors() == ["Tick at least one included day."]
    assert editor.head.errors["time_zone"] == [
        "Give the time zone of the included hours, such as Europe/Paris."
    ]


def test_the_live_preview_names_each_wrong_field_with_its_label(login, manager):
    data = _form_post(_example("car-park.json"), **{"t-price": "7.505", "t-grace": "-1m"})
    response = login(manager).post("/catalog/preview/", data, **HX)
    problems = {(p["label"], p["message"]) for p in response.context["form_problems"]}
    assert problems == {
        ("Price", "Prices have at most two decimals."),
        ("Grace period", "A duration cannot be negative."),
    }
    assert 'data-for="id_t-price"' in response.text  # the page's script shows it at the field
    assert "tariff-json-box" not in response.text  # a wrong form leaves the JSON tab as it was


def test_the_json_tab_still_saves_as_before(login, manager):
    data = _product_data(internal_name="Car park", short_name="Car park", vat_rate="20")
    data |= {
        "tariff_editor": "json",
        "tariff": json.dumps(_example("car-park.json")),
        "t-price": "not looked at",
    }
    response = login(manager).post("/catalog/new/time/", data)
    assert response.status_code == 302
    assert Product.objects.get().tariff["per_unit"] == "0.60"
