"""The published schema accepts every documented tariff and rejects bad ones (checked by a small validator
of the JSON Schema keywords the schema uses, so the tests need no schema library)."""

import json
import re
from decimal import Decimal

import pytest

from .test_docs import EXAMPLES
from .test_documents import RATE, SCHEMA_FILE

SCHEMA = json.loads(SCHEMA_FILE.read_text())
TYPES = {"object": dict, "array": list, "string": str, "boolean": bool}


def valid(value, schema) -> bool:  # noqa: C901 - one branch per keyword is the clearest form
    if "$ref" in schema:
        return valid(value, SCHEMA["$defs"][schema["$ref"].rsplit("/", 1)[1]])
    if "oneOf" in schema and sum(valid(value, s) for s in schema["oneOf"]) != 1:
        return False
    if "allOf" in schema and not all(valid(value, s) for s in schema["allOf"]):
        return False
    if "const" in schema and value != schema["const"]:
        return False
    if "enum" in schema and value not in schema["enum"]:
        return False
    if "type" in schema:
        names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        ok = any(
            (isinstance(value, (int, float, Decimal)) and not isinstance(value, bool))
            if n == "number"
            else isinstance(value, TYPES[n])
            for n in names
        )
        if not ok:
            return False
    if isinstance(value, str):
        if "pattern" in schema and not re.search(schema["pattern"], value):
            return False
        if len(value) > schema.get("maxLength", 10**9) or len(value) < schema.get("minLength", 0):
            return False
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        if value < schema.get("minimum", value) or value > schema.get("maximum", value):
            return False
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0) or len(value) > schema.get("maxItems", 10**9):
            return False
        if schema.get("uniqueItems") and len({json.dumps(v) for v in value}) != len(value):
            return False
        if "items" in schema and not all(valid(v, schema["items"]) for v in value):
            return False
    if isinstance(value, dict):
        if any(k not in value for k in schema.get("required", ())):
            return False
        props = schema.get("properties", {})
        for key, item in value.items():
            if key in props:
                if not valid(item, props[key]):
                    return False
            elif schema.get("additionalProperties") is False:
                return False
            elif isinstance(schema.get("additionalProperties"), dict):
                if not valid(item, schema["additionalProperties"]) or not valid(key, schema["propertyNames"]):
                    return False
    return True


@pytest.mark.parametrize(
    "document", [d for d, _ in EXAMPLES] + [RATE], ids=lambda d: d.get("name", d["kind"])
)
def test_documented_tariffs_follow_the_schema(document):
    assert valid(document, SCHEMA)


@pytest.mark.parametrize(
    "change",
    [
        {"kind": "hourly"},
        {"version": 2},
        {"colour": "red"},
        {"unit": "15"},
        {"per_unit": "-1"},
        {"bands": [{"from": "25:00", "to": "08:00", "per_unit": "1"}]},
        {"per_unit": "1.00"},  # with per_hour: two prices
        {"rounding": "sideways"},
        {"currency": "XYZ"},
    ],
)
def test_the_schema_rejects_what_the_engine_rejects(change):
    assert not valid({**RATE, **change}, SCHEMA)
