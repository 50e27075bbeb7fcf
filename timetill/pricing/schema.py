"""The published JSON Schema of tariff documents, generated from the same fields that validate them.

Run `python -m timetill.pricing schema > docs/tariff.schema.json` after changing a field.
"""

from __future__ import annotations

import json
from typing import Any

from .tariff import document_schemas


def tariff_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of version-1 tariff documents."""
    defs: dict[str, Any] = {}
    variants = document_schemas(defs)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Timetill tariff document",
        "description": "A tariff: how Timetill turns time spent in a place into money. See docs/tariffs.md.",
        "oneOf": variants,
        "$defs": dict(sorted(defs.items())),
    }


def schema_json() -> str:
    return json.dumps(tariff_schema(), indent=2, ensure_ascii=False) + "\n"
