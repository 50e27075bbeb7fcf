"""The OpenAPI description carries the tariff document's JSON Schema (docs/tariff.schema.json), so that a
client, or a fuzzer, knows what a tariff is: the quote, a product's tariff and the tariff import point at it,
it accepts every documented example, and it refuses what the engine refuses by its shape."""

import json
from pathlib import Path

import jsonschema_rs
import pytest

from timetill.api import api
from timetill.api_common import TARIFF_REF
from timetill.pricing import tariff_schema

OPENAPI = api.get_openapi_schema(path_prefix="/api/")
SCHEMAS = OPENAPI["components"]["schemas"]
EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "docs" / "examples").glob("*.json"))


def _validator():
    """The description's tariff schema, its references resolved among the description's components."""
    own = {name: schema for name, schema in SCHEMAS.items() if name.startswith("Tariff")}
    return jsonschema_rs.Draft202012Validator(
        {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$ref": TARIFF_REF,
            "components": {"schemas": own},
        }
    )


def test_the_tariff_schema_is_among_the_components_with_its_definitions():
    published = tariff_schema()
    assert SCHEMAS["TariffDocument"]["oneOf"] == [
        {"$ref": variant["$ref"].replace("#/$defs/", "#/components/schemas/Tariff_")}
        for variant in published["oneOf"]
    ]
    for name in published["$defs"]:
        assert f"Tariff_{name}" in SCHEMAS
    assert "#/$defs/" not in json.dumps(OPENAPI)
    assert "x-tariff-document" not in json.dumps(OPENAPI)


def test_what_takes_a_tariff_points_at_its_schema():
    assert SCHEMAS["QuoteIn"]["properties"]["tariff"]["$ref"] == TARIFF_REF
    assert SCHEMAS["ProductIn"]["properties"]["tariff"]["anyOf"] == [{"$ref": TARIFF_REF}, {"type": "null"}]
    body = OPENAPI["paths"]["/api/products/{product_id}/tariff"]["put"]["requestBody"]
    assert body["content"]["application/json"]["schema"] == {"$ref": TARIFF_REF}


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda path: path.stem)
def test_every_documented_tariff_is_valid_by_the_description(example):
    assert EXAMPLES, "docs/examples holds the documented tariffs"
    _validator().validate(json.loads(example.read_text()))


@pytest.mark.parametrize(
    "change",
    [
        {"kind": "hourly"},  # no such kind
        {"currency": "euro"},  # not a currency code
        {"surprise": True},  # an unknown field: documents are closed
        {"version": 2},
    ],
    ids=["kind", "currency", "unknown field", "version"],
)
def test_a_tariff_of_the_wrong_shape_is_invalid_by_the_description(change):
    document = {**json.loads(EXAMPLES[0].read_text()), **change}
    assert not _validator().is_valid(document)


def test_a_quote_valid_by_the_description_is_quoted(client, login, manager):
    """A quote whose tariff the description says is valid gets a price, not a refusal."""
    login(manager)
    tariff = json.loads((EXAMPLES[0].parent / "car-park.json").read_text())
    quote = {"tariff": tariff, "start": "2026-03-04T09:00:00+01:00", "end": "2026-03-04T11:10:00+01:00"}
    assert _validator().is_valid(quote["tariff"])
    answer = client.post("/api/quote", quote, content_type="application/json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["currency"] == "EUR"
