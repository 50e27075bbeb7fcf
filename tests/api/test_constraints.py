"""The OpenAPI description states the constraints the server enforces beyond types, so that data valid by
the description is accepted: free text without control characters, codes as readers type them."""

import re

import pytest

from timetill.api import api
from timetill.api_common import NO_CONTROL_PATTERN, _no_control_characters
from timetill.customers.codes import CODE_PATTERN, CodeError, normalize_code

SCHEMAS = api.get_openapi_schema(path_prefix="/api/")["components"]["schemas"]
SAMPLE = [chr(c) for c in range(0x2FF)] + ["\ud800", "\udfff", "\u2028", "€", "😀", "\ufeff"]


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


@pytest.mark.parametrize(
    ("schema", "field"),
    [("NoteIn", "note"), ("EditTimesIn", "reason"), ("CustomerIn", "name"), ("DeviceIn", "name")],
)
def test_free_text_fields_carry_the_pattern(schema, field):
    assert SCHEMAS[schema]["properties"][field]["pattern"] == NO_CONTROL_PATTERN


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
