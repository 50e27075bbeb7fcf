"""The commands the README shows work as written."""

import json
from pathlib import Path

from timetill.cli import main

ROOT = Path(__file__).resolve().parent.parent


def test_the_readme_quote_example_prices_the_car_park(capsys):
    document = ROOT / "docs" / "examples" / "car-park.json"
    assert str(document.relative_to(ROOT)) in (ROOT / "README.md").read_text()
    args = ["quote", str(document), "--start", "2026-11-24T09:00", "--end", "2026-11-24T10:20", "--json"]
    assert main(args) == 0
    quote = json.loads(capsys.readouterr().out)
    assert (quote["total"], quote["currency"]) == ("3.70", "EUR")
