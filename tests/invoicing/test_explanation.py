"""An extra-time line's explanation is stored compact by the run and reads, through the model, exactly as the
engine's own quote of the same stays with the day-by-day detail (what the run stored in full before); an
explanation stored in full earlier reads as it was written."""

import json
from datetime import date
from zoneinfo import ZoneInfo

import orjson
from django.db import connection

from timetill.catalog.tariffs import tariff_at
from timetill.invoicing.explanation import expand_explanation
from timetill.invoicing.extra_time import day_detail
from timetill.invoicing.models import InvoiceLine
from timetill.invoicing.month import parse_month
from timetill.invoicing.run import run_month
from timetill.invoicing.stays import micros
from timetill.pricing import LocalClock, compile_tariff
from timetill.pricing.compiled import is_compact

from ..conftest import paris
from .conftest import OPERATOR

RUN_AT = paris(2026, 11, 2, 9, 0)

# Early and late minutes, inside the tolerance and past it, an unplanned Friday, two stays on one day, a
# stay past midnight, the 25th of October (25 hours long in Paris), on the minute and on the second.
STAYS = (
    ((2026, 10, 1, 7, 31, 17), (2026, 10, 1, 16, 9)),
    ((2026, 10, 2, 9, 0), (2026, 10, 2, 12, 0)),
    ((2026, 10, 5, 8, 0), (2026, 10, 5, 16, 10)),
    ((2026, 10, 6, 7, 0), (2026, 10, 6, 11, 0)),
    ((2026, 10, 6, 13, 0), (2026, 10, 6, 17, 44, 59)),
    ((2026, 10, 7, 8, 5), (2026, 10, 7, 15, 0)),
    ((2026, 10, 21, 20, 0), (2026, 10, 22, 1, 30)),
    ((2026, 10, 25, 1, 0), (2026, 10, 25, 4, 0)),
    ((2026, 10, 26, 7, 0), (2026, 10, 26, 17, 45)),
    ((2026, 10, 29, 7, 59, 59), (2026, 10, 29, 16, 0, 1)),
)


def _raw_explanation(line_id):
    with connection.cursor() as cursor:
        cursor.execute("SELECT explanation FROM invoicing_invoiceline WHERE id = %s", [line_id])
        (text,) = cursor.fetchone()
    return text if isinstance(text, dict) else json.loads(text)


def _engines(daycare, product, stays):
    """What the run stored in full before: the engine's Quote.to_dict() with the days of its lines."""
    tariff = tariff_at(product.tariff, currency=daycare.currency, time_zone=daycare.time_zone)
    pairs = sorted((micros(s.start), micros(s.end)) for s in stays)
    compiled = compile_tariff(tariff)
    engine = compiled._from_quote(tariff.quote_micros(pairs))
    clock = LocalClock(ZoneInfo(daycare.time_zone))
    return {**tariff.quote_micros(pairs).to_dict(), "days": day_detail(engine, pairs, clock, False)}


def test_the_run_stores_it_compact_and_it_reads_as_the_engines_explanation(
    daycare, make_family, package, make_enrolment, make_stay, products
):
    _family, (lea,) = make_family("Martin")
    make_enrolment(lea, package, date(2026, 9, 1))
    stays = [make_stay(lea, paris(*a), paris(*b)) for a, b in STAYS]
    run_month(site_id=daycare.pk, month=parse_month("2026-11"), actor=OPERATOR, at=RUN_AT)
    line = InvoiceLine.objects.get(kind="extra_time")
    expected = _engines(daycare, products["extra"], stays)
    assert [day["date"] for day in expected["days"]] == [
        "2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07",
        "2026-10-21", "2026-10-25", "2026-10-26", "2026-10-29",
    ]  # fmt: skip
    assert {ln["code"] for ln in expected["lines"]} >= {"early", "late", "unplanned_day", "day"}
    # Read through the model (what the PDF annex, the pages, the API and the e-invoices read): the same.
    assert line.explanation == expected
    assert list(line.explanation) == list(expected)  # the same keys, in the same order
    assert InvoiceLine.objects.values_list("explanation", flat=True).get(pk=line.pk) == expected
    # Stored compact: several times smaller than the full explanation.
    stored = _raw_explanation(line.pk)
    assert is_compact(stored)
    assert len(orjson.dumps(stored)) * 3 < len(orjson.dumps(expected))
    assert expand_explanation(stored) == expected
    # A refresh over the same stays keeps the line as it is.
    run_month(site_id=daycare.pk, month=parse_month("2026-11"), actor=OPERATOR, at=RUN_AT)
    assert InvoiceLine.objects.get(kind="extra_time").pk == line.pk


def test_an_explanation_stored_in_full_reads_as_it_was_written(
    daycare, make_family, package, make_enrolment, product_week, products
):
    _family, (lea,) = make_family("Martin")
    make_enrolment(lea, package, date(2026, 9, 1))
    stays = product_week(lea)
    run_month(site_id=daycare.pk, month=parse_month("2026-11"), actor=OPERATOR, at=RUN_AT)
    line = InvoiceLine.objects.get(kind="extra_time")
    full = _engines(daycare, products["extra"], stays)
    # As an earlier run stored it: the whole explanation.
    InvoiceLine.objects.filter(pk=line.pk).update(explanation=full)
    assert _raw_explanation(line.pk) == full
    assert InvoiceLine.objects.get(pk=line.pk).explanation == full
    # The next refresh writes it compact again, and it still reads the same.
    run_month(site_id=daycare.pk, month=parse_month("2026-11"), actor=OPERATOR, at=RUN_AT)
    again = InvoiceLine.objects.get(kind="extra_time")
    assert is_compact(_raw_explanation(again.pk))
    assert again.explanation == full
    # Explanations of other shapes pass through untouched.
    assert expand_explanation(None) is None
    assert expand_explanation({"lines": [], "total": "0"}) == {"lines": [], "total": "0"}
