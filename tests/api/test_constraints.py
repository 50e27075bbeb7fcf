"""The OpenAPI description states the constraints the server enforces beyond types, so that data valid by
the description is accepted: free text without control characters, codes as readers type them."""

import json
import re
from collections import defaultdict

import jsonschema_rs
import pytest
from ninja import Schema
from pydantic import TypeAdapter, ValidationError

from timetill.api import api
from timetill.api_common import DATE_PATTERN, NO_CONTROL_PATTERN, _no_control_characters, decimal
from timetill.customers.codes import CODE_PATTERN, CodeError, normalize_code
from timetill.text import LINES_PATTERN, REQUIRED_TEXT_PATTERN, is_plain_text

SCHEMAS = api.get_openapi_schema(path_prefix="/api/")["components"]["schemas"]
SAMPLE = [chr(c) for c in range(0x2FF)] + ["\u2028", "€", "😀", "\ufeff"]
# A lone surrogate is no Unicode text, so no JSON Schema string: the description cannot speak of it (and a
# pattern naming one is no regular expression to jsonschema_rs), the server refuses it on its own.
SURROGATES = ["\ud800", "\udbff", "\udc00", "\udfff"]


def _accepted_by_the_server(text: str) -> bool:
    try:
        _no_control_characters(text)
    except ValueError:
        return False
    return True


def test_the_described_pattern_of_free_text_is_what_the_server_accepts():
    disagree = [
        f"U+{ord(char):04X}"
        for char in SAMPLE
        if bool(re.fullmatch(NO_CONTROL_PATTERN, f"a{char}b")) != _accepted_by_the_server(f"a{char}b")
    ]
    assert disagree == []
    assert not _accepted_by_the_server("a\x00b") and _accepted_by_the_server("Léa 😀")
    assert [char for char in SURROGATES if _accepted_by_the_server(f"a{char}b")] == []


def _patterns(node):
    if isinstance(node, dict):
        if isinstance(node.get("pattern"), str):
            yield node["pattern"]
        for value in node.values():
            yield from _patterns(value)
    elif isinstance(node, list):
        for value in node:
            yield from _patterns(value)


def test_every_pattern_of_the_description_is_a_regular_expression_to_jsonschema_rs():
    """Schemathesis validates with jsonschema_rs: a pattern it cannot compile (one naming surrogates) made it
    take a schema-valid request for an invalid one and a blank reason for a valid one."""
    patterns = set(_patterns(api.get_openapi_schema(path_prefix="/api/")))
    assert {NO_CONTROL_PATTERN, REQUIRED_TEXT_PATTERN, LINES_PATTERN} <= patterns
    refused = []
    for pattern in sorted(patterns):
        try:
            jsonschema_rs.validator_for({"type": "string", "pattern": pattern})
        except jsonschema_rs.ValidationError:
            refused.append(pattern)
    assert refused == []
    blank_or_not = jsonschema_rs.validator_for({"type": "string", "pattern": REQUIRED_TEXT_PATTERN})
    assert [blank_or_not.is_valid(text) for text in ("", " \u00a0", "a\x00", "Léa", " a ")] == [
        False, False, False, True, True
    ]  # fmt: skip


@pytest.mark.parametrize("char", SURROGATES)
def test_the_services_refuse_a_lone_surrogate(char):
    assert not is_plain_text(f"a{char}b") and not is_plain_text(f"a{char}b", lines=True)


# What str.isprintable() refused although people type it: a no-break space (French puts one before a colon),
# an emoji made of several joined by a zero-width joiner, a line separator pasted from a word processor.
TYPED = ["Note\u00a0: à rappeler", "Famille 👨\u200d👩\u200d👧", "un\u2028deux", "\u200bLéa"]


@pytest.mark.parametrize("text", [*TYPED, *SAMPLE])
def test_the_services_take_what_the_description_allows(text):
    assert is_plain_text(f"a{text}b") == bool(re.fullmatch(NO_CONTROL_PATTERN, f"a{text}b"))
    assert is_plain_text(f"a{text}b", lines=True) == bool(re.fullmatch(LINES_PATTERN, f"a{text}b"))


def test_what_people_type_is_taken_by_the_services(api_as, manager, site, make_customer):
    """Through the API to the services' own checks: a customer's name, a line's note, a scan's client id."""
    api = api_as(manager)
    for n, text in enumerate(TYPED):
        status, customer = api.post("/customers", {"name": text})
        assert (status, customer["name"]) == (201, text.strip())
        code = make_customer().codes.get().value
        status, scan = api.post("/scans", {"site": site.slug, "code": code, "client_id": f"{n}{text}"})
        assert status == 200, scan
        status, line = api.post(f"/time-lines/{scan['time_line']['id']}/note", {"note": text})
        assert (status, line["note"]) == (200, text.strip())


def test_a_required_name_of_blanks_alone_is_outside_the_description():
    assert not re.fullmatch(REQUIRED_TEXT_PATTERN, " \u00a0\t")
    assert re.fullmatch(REQUIRED_TEXT_PATTERN, " Léa ")
    assert SCHEMAS["CustomerIn"]["properties"]["name"]["pattern"] == REQUIRED_TEXT_PATTERN


def test_no_two_schemas_of_the_description_share_a_name():
    """Two models of one name are one component: the till's payments were described as an invoice's."""
    by_name = defaultdict(set)
    stack = [Schema]
    while stack:
        for model in stack.pop().__subclasses__():
            stack.append(model)
            if model.__module__.startswith("timetill.") and model.__module__.endswith("api"):
                by_name[model.__name__].add(json.dumps(model.model_json_schema(), sort_keys=True))
    assert [name for name, shapes in by_name.items() if len(shapes) > 1] == []


@pytest.mark.parametrize(
    ("schema", "field", "pattern"),
    [
        ("NoteIn", "note", NO_CONTROL_PATTERN),
        ("PaymentIn", "reference", NO_CONTROL_PATTERN),
        ("ScanIn", "client_id", REQUIRED_TEXT_PATTERN),
        ("EditTimesIn", "reason", REQUIRED_TEXT_PATTERN),
        ("CustomerIn", "name", REQUIRED_TEXT_PATTERN),
        ("DeviceIn", "name", REQUIRED_TEXT_PATTERN),
        ("PayerIn", "address", LINES_PATTERN),
    ],
)
def test_free_text_fields_carry_the_pattern(schema, field, pattern):
    assert SCHEMAS[schema]["properties"][field]["pattern"] == pattern


@pytest.mark.parametrize(
    "code", ["2000000000015", "A", "ab:cd/ef+g=h-i_j.k", "x" * 64, "x" * 65, "-ab", "a b", "a\x00", "é", ""]
)
def test_the_described_pattern_of_codes_is_what_the_server_accepts(code):
    try:
        normalize_code(code)
        accepted = True
    except CodeError:
        accepted = False
    assert bool(re.fullmatch(CODE_PATTERN, code)) == accepted


def test_code_fields_carry_the_pattern():
    assert SCHEMAS["ScanIn"]["properties"]["code"]["pattern"] == CODE_PATTERN
    assert SCHEMAS["CodeIn"]["properties"]["value"]["pattern"] == CODE_PATTERN


AMOUNTS = [
    "0",
    "0.0",
    "0.001",
    "0.01",
    ".5",
    "1",
    "1.5",
    "1.005",
    "1.0001",
    "-1",
    "-0.5",
    "99.99",
    "100",
    "100.00",
]
AMOUNTS += [
    "100.01",
    "101",
    "999999999.999",
    "1000000000",
    "9999.999",
    "10000",
    "-999999999.999",
    "abc",
    "1e3",
]


@pytest.mark.parametrize(
    "bounds",
    [
        {},
        {"lower": "ge0"},
        {"lower": "gt0", "digits": 7},
        {"digits": 5, "places": 2, "lower": "ge0", "upper": 100},
        {"digits": 5, "places": 2, "lower": "gt0", "upper": 100},
    ],
)
def test_an_amount_the_description_allows_is_read(bounds):
    """Decimal places and bounds are in the description (a string pattern, a number's multipleOf)."""
    amount = TypeAdapter(decimal(**bounds))
    number, text = amount.json_schema()["anyOf"]
    assert number["multipleOf"] == 10 ** -bounds.get("places", 3)
    refused = []
    for value in AMOUNTS:
        if re.fullmatch(text["pattern"], value):
            try:
                amount.validate_python(value)
            except ValidationError:
                refused.append(value)
    assert refused == []
    assert not re.fullmatch(text["pattern"], "1.0001") and not re.fullmatch(text["pattern"], "abc")


def test_the_described_days_are_the_days_that_exist():
    assert re.fullmatch(DATE_PATTERN, "2024-02-29") and not re.fullmatch(DATE_PATTERN, "2026-02-29")
    assert not re.fullmatch(DATE_PATTERN, "2026-04-31") and re.fullmatch(DATE_PATTERN, "2026-12-31")
    assert not re.fullmatch(DATE_PATTERN, "1999-12-31") and not re.fullmatch(DATE_PATTERN, "2100-01-01")


def test_amounts_and_report_bounds_are_in_the_description():
    sale_line = SCHEMAS["LineIn"]["properties"]
    assert "pattern" in sale_line["unit_price"]["anyOf"][1]
    params = {p["name"]: p["schema"] for p in _operation("get", "/api/reports/time-lines")["parameters"]}
    assert (params["page_size"]["minimum"], params["page_size"]["maximum"]) == (1, 500)
    assert (params["page"]["minimum"], params["page"]["maximum"]) == (1, 10**6)
    assert params["from"]["pattern"] == f"^$|{DATE_PATTERN}"  # a day, or empty: as if left out
    assert params["state"]["pattern"] == "^(open|stopped|hidden|paid|invoiced)$"


def _operation(method: str, path: str) -> dict:
    return api.get_openapi_schema(path_prefix="/api/")["paths"][path][method]
