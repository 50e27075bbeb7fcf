"""The tariff documentation (timetill/pricing/docs/tariffs.md) is executable: each JSON document round-trips
and each quotes block gives its amounts."""

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from timetill.pricing import parse_tariff

DOC = Path(__file__).resolve().parents[2] / "timetill" / "pricing" / "docs" / "tariffs.md"
BLOCK = re.compile(r"^```(json|quotes)\n(.*?)^```", re.DOTALL | re.MULTILINE)


def examples():
    """(document, quotes text) pairs, in the order of the page."""
    found, document = [], None
    for kind, body in BLOCK.findall(DOC.read_text()):
        if kind == "json":
            document = json.loads(body)
        else:
            found.append((document, body))
    return found


EXAMPLES = examples()


def test_the_page_has_every_kind_and_the_product_examples():
    kinds = {doc["kind"] for doc, _ in EXAMPLES}
    assert kinds == {"ladder", "rate", "daily"} and len(EXAMPLES) >= 10
    text = DOC.read_text()
    for amount in ("22.00", "29.40", "38.00", "12.10"):
        assert f"-> {amount}" in text


@pytest.mark.parametrize(
    ("document", "quotes"), EXAMPLES, ids=[d.get("name", d["kind"]) for d, _ in EXAMPLES]
)
def test_documented_example(document, quotes):
    tariff = parse_tariff(document)
    assert tariff.to_document() == document, "the page shows a non-canonical document"
    stays = []
    for line in quotes.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        left, expected = (part.strip() for part in line.split("->"))
        words = left.split()
        if words == ["all"]:
            quote = tariff.quote(stays=stays)
        else:
            group = next((w.split("=", 1)[1] for w in words if w.startswith("group=")), None)
            start, end = words[0], words[1]
            stays.append((start, end))
            quote = tariff.quote(start, end, group=group)
        assert quote.total.amount == Decimal(expected), line
