"""Tariff documents: validation that names the field, canonical round trips, and the published schema."""

import json
from pathlib import Path

import pytest

from timetill.pricing import TariffError, load_tariff, parse_tariff, tariff_schema
from timetill.pricing.schema import schema_json

from .test_examples import DAILY, LADDER

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "docs" / "tariff.schema.json"

RATE = {
    "version": 1,
    "kind": "rate",
    "name": "Car park",
    "currency": "EUR",
    "time_zone": "Europe/Paris",
    "unit": "15m",
    "grace": {"duration": "15m", "mode": "deducted"},
    "first_block": {"duration": "1h", "price": "2.50", "label": "First hour"},
    "per_hour": "2.40",
    "tiers": [{"after": "3h", "per_hour": "1.00"}],
    "tiers_restart_every_24h": True,
    "bands": [
        {"name": "Night", "from": "20:00", "to": "08:00", "per_unit": "0.20"},
        {"name": "Weekend", "days": ["sat", "sun"], "from": "08:00", "to": "20:00", "per_unit": "0.30"},
    ],
    "band_precedence": "lowest",
    "cap_per_24h": "15.00",
    "max_per_stay": "100.00",
    "minimum": "1.00",
    "prices_include_vat": False,
    "vat_rate": "20",
    "groups": {
        "members": {"discount_percent": "10"},
        "staff": {"tariff": {"kind": "ladder", "steps": [{"duration": "1d", "price": "1.00"}]}},
    },
}


def errors_of(document) -> list[str]:
    with pytest.raises(TariffError) as err:
        parse_tariff(document)
    assert err.value.code == "invalid_tariff"
    return err.value.errors


def with_(base, **changes):
    doc = json.loads(json.dumps(base))
    doc.update(changes)
    return doc


@pytest.mark.parametrize("document", [RATE, LADDER, DAILY], ids=["rate", "ladder", "daily"])
def test_a_canonical_document_round_trips(document):
    tariff = parse_tariff(document)
    assert tariff.to_document() == document
    assert parse_tariff(json.loads(tariff.to_json())) == tariff


def test_non_canonical_spellings_are_normalised_once():
    tariff = parse_tariff(
        with_(LADDER, steps=[{"duration": "60m", "price": 6}, {"duration": "1h30m", "price": 8.5}])
    )
    doc = tariff.to_document()
    assert doc["steps"] == [{"duration": "1h", "price": "6.00"}, {"duration": "1h30m", "price": "8.50"}]
    assert parse_tariff(doc).to_document() == doc


def test_json_numbers_keep_their_decimals():
    tariff = load_tariff(
        '{"version": 1, "kind": "ladder", "currency": "EUR", "steps": [{"duration": "1h", "price": 0.10}]}'
    )
    assert tariff.to_document()["steps"][0]["price"] == "0.10"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {
                "bands": [
                    {"from": "20:00", "to": "08:00", "per_unit": "1"},
                    {"from": "25:00", "to": "08:00", "per_unit": "1"},
                ]
            },
            'bands[1].from: "25:00" is not a time of day',
        ),
        ({"kind": "hourly"}, 'kind: "hourly" is not a tariff kind (ladder, rate, daily)'),
        ({"version": 2}, "version: 2 is not supported (this engine reads version 1)"),
        ({"per_unit": "-0.60"}, 'per_unit: "-0.60" must not be negative'),
        ({"per_unit": "0.605"}, 'per_unit: "0.605" has more decimals than EUR allows (2)'),
        ({"per_unit": "abc"}, 'per_unit: "abc" is not an amount'),
        ({"unit": "0m"}, 'unit: "0m" must be longer than zero'),
        ({"unit": "15"}, 'unit: "15" is not a duration (write it like 15m, 1h, 1h30m or 90s)'),
        (
            {"time_zone": "Mars/Olympus"},
            'time_zone: "Mars/Olympus" is not a known IANA time zone (e.g. Europe/Paris)',
        ),
        ({"time_zone": "../../etc/passwd"}, "time_zone: "),
        ({"currency": "XYZ"}, 'currency: "XYZ" is not a known ISO 4217 currency code'),
        ({"colour": "red"}, "colour: unknown field"),
        ({"rounding": "sideways"}, 'rounding: "sideways" is not one of up, nearest, down'),
        ({"per_hour": "2.40"}, "(document): give exactly one of per_unit, per_hour"),
        (
            {"grace": {"duration": "15m", "mode": "maybe"}},
            'grace.mode: "maybe" is not one of threshold, deducted',
        ),
        (
            {
                "bands": [
                    {"from": "20:00", "to": "08:00", "per_unit": "1"},
                    {"days": ["sun"], "from": "07:00", "to": "09:00", "per_unit": "1"},
                ]
            },
            "bands[1]: overlaps bands[0] (Sun from 07:00)",
        ),
        (
            {
                "bands": [
                    {"days": ["sun"], "from": "22:00", "to": "02:00", "per_unit": "1"},
                    {"days": ["mon"], "from": "01:00", "to": "03:00", "per_unit": "1"},
                ]
            },
            "bands[1]: overlaps bands[0] (Mon from 01:00)",
        ),
        (
            {"bands": [{"from": "20:00", "to": "20:00", "per_unit": "1"}]},
            "bands[0].to: must differ from `from`",
        ),
        (
            {"bands": [{"days": ["mon", "funday"], "from": "20:00", "to": "22:00", "per_unit": "1"}]},
            'bands[0].days[1]: "funday" is not a weekday',
        ),
        (
            {"tiers": [{"after": "3h", "per_unit": "1"}, {"after": "2h", "per_unit": "1"}]},
            "tiers[1].after: must be later than the tier before it",
        ),
        ({"minimum": "20.00", "max_per_stay": "10.00"}, "minimum: is more than max_per_stay"),
        ({"minimum": "20.00", "cap_per_24h": "10.00"}, "minimum: is more than cap_per_24h"),
        ({"groups": {"vip": {}}}, "groups.vip: give exactly one of tariff, discount_percent"),
        (
            {"groups": {"vip": {"discount_percent": "120"}}},
            'groups.vip.discount_percent: "120" must be above 0',
        ),
        (
            {"groups": {"vip": {"tariff": {"kind": "rate", "unit": "0m", "per_unit": "1"}}}},
            'groups.vip.tariff.unit: "0m" must be longer than zero',
        ),
        (
            {
                "groups": {
                    "vip": {
                        "tariff": {
                            "kind": "ladder",
                            "steps": [{"duration": "2h", "price": "1"}, {"duration": "1h", "price": "1"}],
                        }
                    }
                }
            },
            "groups.vip.tariff.steps[1].duration: must be longer than the step before it",
        ),
        ({"unit": None}, "unit: is required"),
    ],
)
def test_bad_rate_documents_name_the_field(changes, message):
    errors = errors_of(
        with_({k: v for k, v in RATE.items() if k not in ("per_hour",)} | {"per_unit": "0.60"}, **changes)
    )
    assert any(e.startswith(message) for e in errors), errors


def test_every_problem_is_reported_at_once():
    errors = errors_of(with_(LADDER, currency="EUR", steps=[{"duration": "x", "price": "-1"}], name=3))
    assert errors == [
        "name: 3 is not a text",
        'steps[0].duration: "x" is not a duration (write it like 15m, 1h, 1h30m or 90s)',
        'steps[0].price: "-1" must not be negative',
    ]


def test_bands_and_daily_time_need_a_time_zone():
    assert "time_zone: is required: included hours are in local time" in errors_of(
        {k: v for k, v in DAILY.items() if k != "time_zone"}
    )
    doc = {k: v for k, v in RATE.items() if k not in ("time_zone",)}
    assert "time_zone: is required: bands are in local time" in errors_of(doc)


def test_daily_time_window_must_end_after_it_starts():
    doc = with_(DAILY, included={"mon": {"from": "16:00", "to": "08:00"}})
    assert errors_of(doc) == ["included.mon.to: must be after `from`"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "(document): not valid JSON (line 1, column 2"),
        ("[]", "(document): [] is not a JSON object"),
        (b"\xff\xfe", "(document): is not UTF-8 text"),
        ("x" * 1_000_001, "(document): larger than"),
        ("{}", "version: is required"),
    ],
)
def test_bad_text(text, message):
    with pytest.raises(TariffError) as err:
        load_tariff(text)
    assert err.value.errors[0].startswith(message)


def test_the_published_schema_is_generated_from_the_code():
    assert SCHEMA_FILE.read_text() == schema_json(), (
        "run: python -m timetill.pricing schema > docs/tariff.schema.json"
    )


def test_the_schema_describes_every_kind_and_closes_objects():
    schema = tariff_schema()
    kinds = [variant["$ref"].rsplit("/", 1)[1] for variant in schema["oneOf"]]
    assert kinds == ["ladder_tariff", "rate_tariff", "daily_tariff"]
    rate = schema["$defs"]["rate_tariff"]
    assert rate["additionalProperties"] is False
    assert {"unit", "bands", "cap_per_24h", "first_block"} <= set(rate["properties"])
    assert rate["properties"]["rounding"]["default"] == "up"
