"""An extra-time line's explanation as it is stored, and as everything reads it.

The monthly run stores a Daily Time line's explanation in a compact form: each day's lines and detail as
integers, and once what all of them share (the tariff, zone, currency, unit, prices and texts). Read
through the model (the PDF annex, the family's page, the API, the e-invoices), it is the full explanation
the run stored before: the engine's Quote.to_dict() with the day-by-day detail under "days"
(timetill.pricing.compiled.expand and extra_time.expand_days write it, tested equal to the engine's own).
Explanations stored in full (earlier runs, lines of other kinds) read as they were written."""

from __future__ import annotations

from typing import Any

from django.db import models

from timetill.invoicing.extra_time import expand_days
from timetill.pricing.compiled import expand, is_compact


def expand_explanation(value: Any) -> Any:  # noqa: ANN401
    """The full explanation of a stored one (compact or already full)."""
    if not is_compact(value):
        return value
    document = expand(value)
    document["days"] = expand_days(value.get("days", []), value["head"]["exponent"])
    return document


class ExplanationField(models.JSONField):
    """A JSON field whose compact explanations read as the full ones (see the module's description)."""

    def from_db_value(self, value, expression, connection):  # noqa: ANN001, ANN201
        return expand_explanation(super().from_db_value(value, expression, connection))
