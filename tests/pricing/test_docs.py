"""The tariff documentation (timetill/pricing/docs/tariffs.md, and its French and Italian pages) is
executable: each JSON document round-trips and each quotes block gives its amounts; a translated page has
the English page's examples (its documents' own names and labels in its language)."""

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from timetill.pricing import parse_tariff

DOCS = Path(__file__).resolve().parents[2] / "timetill" / "pricing" / "docs"
DOC = DOCS / "tariffs.md"
TRANSLATIONS = [DOCS / "tariffs.fr.md", DOCS / "tariffs.it.md"]
BLOCK = re.compile(r"^```(json|quotes)\n(.*?)^```", re.DOTALL | re.MULTILINE)
# What a translation writes in its own words (or for its own country) inside a document.
OWN_WORDS = {"name", "label", "time_zone"}


def examples(page: Path = DOC):
    """(document, quotes text) pairs, in the order of the page."""
    found, document = [], None
    for kind, body in BLOCK.findall(page.read_text()):
        if kind == "json":
            document = json.loads(body)
        else:
            found.append((document, body))
    return found


EXAMPLES = examples()
ALL_EXAMPLES = [
    (page.name, document, quotes) for page in (DOC, *TRANSLATIONS) for document, quotes in examples(page)
]


def test_the_page_has_every_kind_and_the_product_examples():
    kinds = {doc["kind"] for doc, _ in EXAMPLES}
    assert kinds == {"ladder", "rate", "daily"} and len(EXAMPLES) >= 10
    text = DOC.read_text()
    for amount in ("22.00", "29.40", "38.00", "12.10"):
        assert f"-> {amount}" in text


@pytest.mark.parametrize(
    ("page", "document", "quotes"),
    ALL_EXAMPLES,
    ids=[f"{page}:{d.get('name', d['kind'])}" for page, d, _ in ALL_EXAMPLES],
)
def test_documented_example(page, document, quotes):
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


def _without_own_words(value):
    if isinstance(value, dict):
        return {key: _without_own_words(item) for key, item in value.items() if key not in OWN_WORDS}
    if isinstance(value, list):
        return [_without_own_words(item) for item in value]
    return value


def _stays(quotes: str) -> list[str]:
    return [line.split("#", 1)[0].strip() for line in quotes.splitlines() if line.split("#", 1)[0].strip()]


@pytest.mark.parametrize("page", TRANSLATIONS, ids=lambda page: page.name)
def test_a_translated_page_has_the_english_pages_examples(page):
    english, translated = examples(DOC), examples(page)
    assert len(translated) == len(english)
    for (document, quotes), (its_document, its_quotes) in zip(english, translated, strict=True):
        assert _without_own_words(its_document) == _without_own_words(document)
        assert _stays(its_quotes) == _stays(quotes)
    headings = [re.findall(r"^#{2,3} ", text.read_text(), re.MULTILINE) for text in (DOC, page)]
    assert headings[0] == headings[1]
