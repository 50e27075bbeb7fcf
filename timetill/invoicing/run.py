"""The monthly run: one draft invoice per payer with the packages' monthly products of month M (prorated)
and each Daily Time product's extra time of M−1, priced by the engine; forgotten check-outs flagged, never
billed silently; refreshed idempotently; issued invoices never touched; one run of a month at a time."""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import orjson
from django.db import IntegrityError, transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from timetill.billing.language import document_language
from timetill.billing.money import (
    BillingError,
    DocumentLine,
    DocumentLines,
    DocumentTotals,
    make_document_line,
    rounded,
)
from timetill.catalog.models import Package, Product
from timetill.catalog.packages import planned_weekdays
from timetill.catalog.tariffs import tariff_at
from timetill.errors import Conflict, NotFound, TimetillError
from timetill.invoicing.bulk import defaults, insert_values
from timetill.invoicing.documents import breakdown_json, taxable, vat_spec_of
from timetill.invoicing.extra_time import clipped, compact_days, day_detail
from timetill.invoicing.models import (
    ChildShare,
    Enrolment,
    FamilyChild,
    FlaggedStay,
    Invoice,
    InvoiceLine,
    InvoiceRun,
    Payer,
    ReviewAcceptance,
)
from timetill.invoicing.month import DateRange, Month, Proration, clip, period_text, prorate
from timetill.invoicing.stays import RawStay, instant, micros, read_stays
from timetill.pricing import CompiledTariff, LocalClock, compile_tariff
from timetill.pricing.compiled import is_compact
from timetill.sites.localtime import local_day_bounds
from timetill.sites.models import Site
from timetill.timelines.actors import Actor

# A run that has not ended this long after it started died with its process: a new one may start.
STALE_AFTER = timedelta(hours=1)
# Families drafted in one transaction (and between two progress writes): few enough that a failure loses
# little and the progress bar moves, many enough that the queries and commits are not the run's cost
# (100 a batch made them a quarter of a run of 5,000 families on SQLite).
FAMILIES_PER_TRANSACTION = 500
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class RunSummary:
    run_id: int
    month: str
    families: int
    invoices: int
    total: Decimal
    currency: str
    to_review: int
    warnings: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "month": self.month,
            "families": self.families,
            "invoices": self.invoices,
            "total": str(self.total),
            "currency": self.currency,
            "to_review": self.to_review,
            "warnings": list(self.warnings),
        }


# -- starting: one run of a month at a time ----------------------------------------------------------------


def _site(site_id: int) -> Site:
    site = Site.objects.filter(pk=site_id).first()
    if site is None:
        raise NotFound("unknown_site", _("There is no site %(id)s.") % {"id": site_id})
    return site


def start_run(*, site_id: int, month: Month, actor: Actor, at: datetime) -> InvoiceRun:
    """Record that a run of `month` starts, or refuse: the month has not begun, there is no enrolment, or
    another run of the same month is going (run_in_progress, with how far it got)."""
    actor.require("manage_invoicing")
    site = _site(site_id)
    today = at.astimezone(site.tz).date()
    if month.first > today:
        raise TimetillError(
            "month_not_begun",
            _("%(month)s has not begun yet: a month is invoiced from its first day.") % {"month": month},
        )
    enrolled = Enrolment.objects.filter(
        customer__family_link__family__site=site, start__lte=month.last
    ).filter(Q(end__isnull=True) | Q(end__gte=month.previous.first))
    if not enrolled.exists():
        raise TimetillError(
            "no_enrolment",
            _("No child of %(site)s is enrolled in %(month)s or the month before: nothing to invoice.")
            % {"site": site.name, "month": month},
        )
    with transaction.atomic():
        InvoiceRun.objects.filter(
            site=site, month=month.first, state=InvoiceRun.State.RUNNING, started_at__lt=at - STALE_AFTER
        ).update(state=InvoiceRun.State.FAILED, finished_at=at, summary={"error": "stale"})
        try:
            with transaction.atomic():
                return InvoiceRun.objects.create(
                    site=site, month=month.first, started_at=at, started_by=actor.user
                )
        except IntegrityError:
            running = InvoiceRun.objects.filter(
                site=site, month=month.first, state=InvoiceRun.State.RUNNING
            ).first()
    who = running.started_by.get_username() if running and running.started_by else _("the operator")
    raise Conflict(
        "run_in_progress",
        _(
            "The run of %(month)s started by %(who)s is still going (%(done)d of %(total)d families): "
            "wait for it to end, then run it again to refresh."
        )
        % {
            "month": month,
            "who": who,
            "done": running.done_families if running else 0,
            "total": running.total_families if running else 0,
        },
    )


def run_month(
    *,
    site_id: int,
    month: Month,
    actor: Actor,
    at: datetime,
    progress: Callable[[int, int], None] | None = None,
) -> RunSummary:
    """Draft (or refresh) the invoices of `month` for every family of the site."""
    run = start_run(site_id=site_id, month=month, actor=actor, at=at)
    return execute_run(run_id=run.pk, progress=progress)


def execute_run(*, run_id: int, progress: Callable[[int, int], None] | None = None) -> RunSummary:
    """Carry out a started run, one family per transaction, writing its progress on its row."""
    run = InvoiceRun.objects.select_related("site").get(pk=run_id)
    try:
        with _few_collections():
            return _execute(run, progress)
    except BaseException as error:
        message = getattr(error, "message", None) or str(error) or type(error).__name__
        InvoiceRun.objects.filter(pk=run.pk).update(
            state=InvoiceRun.State.FAILED, finished_at=timezone.now(), summary={"error": message}
        )
        raise


@contextmanager
def _few_collections() -> Iterator[None]:
    """The cyclic garbage collector paused for the run: a run makes millions of short-lived objects (the
    explanations) beside a large plan read once, and the collector's passes over them were a third of its
    time. What it makes holds few cycles (a few hundred kB for 5,000 families), collected afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _execute(run: InvoiceRun, progress: Callable[[int, int], None] | None) -> RunSummary:
    plan = _Plan.load(run.site, Month(run.month))
    families = plan.families()
    total_families = len(families)
    InvoiceRun.objects.filter(pk=run.pk).update(total_families=total_families)
    invoices, to_review, total = 0, 0, Decimal(0)
    done = 0
    for start in range(0, total_families, FAMILIES_PER_TRANSACTION):
        chunk = families[start : start + FAMILIES_PER_TRANSACTION]
        drafts = []
        with translation.override(translation.get_language()):
            speaking = None
            for family_id in chunk:
                # The lines' texts (proration, period, review notes) in the family's language; most
                # families speak the site's: the language is switched only when it changes.
                language = _family_language(plan, family_id)
                if language != speaking:
                    translation.activate(language)
                    speaking = plan.language = language
                drafts.extend(_family_lines(plan, family_id))
        done += len(chunk)
        with transaction.atomic():
            made = _write_drafts(plan, run, drafts)
            # The progress is seen with the batch it counts (one commit for both).
            InvoiceRun.objects.filter(pk=run.pk).update(done_families=done)
        invoices += made.invoices
        to_review += made.to_review
        total += made.total
        if progress is not None:
            progress(done, total_families)
    summary = RunSummary(
        run_id=run.pk,
        month=str(plan.month),
        families=total_families,
        invoices=invoices,
        total=rounded(total, run.site.currency),
        currency=run.site.currency,
        to_review=to_review,
        warnings=tuple(plan.warnings),
    )
    InvoiceRun.objects.filter(pk=run.pk).update(
        state=InvoiceRun.State.DONE, finished_at=timezone.now(), summary=summary.as_dict()
    )
    return summary


# -- what the run reads, once ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Enrolment:
    package_id: int
    start: date
    end: date | None


@dataclass(frozen=True, slots=True)
class _Child:
    """What the run reads of a child: read as plain values, once for the whole site (no model instances)."""

    customer_id: int
    name: str
    group: str | None
    shares: list[tuple[Payer, Decimal]]  # who pays what share of the child's lines


@dataclass
class _Plan:
    site: Site
    month: Month
    tz: ZoneInfo
    enrolments: dict[int, list[_Enrolment]]  # customer id → enrolments touching M or M−1
    children: dict[int, list[_Child]]  # family id → children with enrolments
    packages: dict[int, Package]
    items: dict[int, list[tuple[Product, Decimal]]]  # package id → its products
    weekdays: dict[int, frozenset[int]]
    stays: dict[int, list[RawStay]]
    billed: set[tuple]  # what issued invoices already bill
    acceptances: dict[tuple[int, int], dict[str, ReviewAcceptance]]
    warnings: list[str] = field(default_factory=list)
    # What recurs from child to child, worked out once: tariffs, enrolled windows, prorations, lines.
    tariffs: dict[int, CompiledTariff] = field(default_factory=dict)
    windows: dict[tuple[DateRange, ...], list[tuple[int, int]]] = field(default_factory=dict)
    prorations: dict[tuple, Proration] = field(default_factory=dict)
    documents: dict[tuple, DocumentLine] = field(default_factory=dict)
    vat_specs: dict[int, Any] = field(default_factory=dict)
    labels: dict[tuple, str] = field(default_factory=dict)
    clock: LocalClock | None = None
    # The language active while a family's lines are drafted (the family's): asked of Django once a change.
    language: str | None = None
    # The billing core's lines and totals, each shape worked out once for the run.
    lines: DocumentLines = field(default_factory=DocumentLines)
    totals: DocumentTotals = field(default_factory=DocumentTotals)

    @classmethod
    def load(cls, site: Site, month: Month) -> _Plan:
        period = month.previous
        enrolments: dict[int, list[_Enrolment]] = defaultdict(list)
        for customer_id, package_id, start, end in (
            Enrolment.objects.filter(customer__family_link__family__site=site, start__lte=month.last)
            .filter(Q(end__isnull=True) | Q(end__gte=period.first))
            .order_by("customer_id", "start")
            .values_list("customer_id", "package_id", "start", "end")
        ):
            enrolments[customer_id].append(_Enrolment(package_id, start, end))
        package_ids = {e.package_id for es in enrolments.values() for e in es}
        packages = {
            package.pk: package
            for package in Package.objects.filter(pk__in=package_ids).prefetch_related(
                "items__product__vat_rate"
            )
        }
        children = _children(site, enrolments)
        items: dict[int, list[tuple[Product, Decimal]]] = defaultdict(list)
        weekdays = {}
        for package in packages.values():
            for item in package.items.all():
                items[package.pk].append((item.product, item.quantity))
            weekdays[package.pk] = planned_weekdays(package)
        has_daily = any(p.kind == Product.Kind.DAILY_TIME for ps in items.values() for p, _q in ps)
        start = local_day_bounds(period.first, site.tz)[0]
        end = local_day_bounds(month.first, site.tz)[0]
        stays = read_stays(site_id=site.pk, start=start, end=end) if has_daily else {}
        billed = set(
            InvoiceLine.objects.filter(
                invoice__site=site,
                invoice__state=Invoice.State.ISSUED,
                kind__in=(InvoiceLine.Kind.MONTHLY, InvoiceLine.Kind.EXTRA_TIME),
                period_start__in=(month.first, period.first),
            ).values_list("kind", "payer_id", "child_id", "product_id", "package_id", "period_start")
        )
        acceptances: dict[tuple[int, int], dict[str, ReviewAcceptance]] = defaultdict(dict)
        for acceptance in ReviewAcceptance.objects.filter(period_start=period.first):
            acceptances[(acceptance.child_id, acceptance.product_id)][acceptance.stays] = acceptance
        return cls(
            site, month, site.tz, enrolments, children, packages, items, weekdays, stays, billed, acceptances
        )

    def families(self) -> list[int]:
        return list(self.children)

    def tariff(self, product: Product) -> CompiledTariff:
        found = self.tariffs.get(product.pk)
        if found is None:
            found = self.tariffs[product.pk] = compile_tariff(
                tariff_at(product.tariff, currency=self.site.currency, time_zone=self.site.time_zone)
            )
        return found

    def local_clock(self) -> LocalClock:
        if self.clock is None:
            self.clock = LocalClock(self.tz)
        return self.clock

    def vat_spec(self, product: Product):  # noqa: ANN201
        found = self.vat_specs.get(product.pk)
        if found is None:
            found = self.vat_specs[product.pk] = vat_spec_of(product)
        return found

    def enrolled_windows(self, enrolled: list[DateRange]) -> list[tuple[int, int]]:
        """The enrolled days as instants: from the first day's local midnight to the last's end."""
        key = tuple(enrolled)
        found = self.windows.get(key)
        if found is None:
            tz = self.tz
            found = self.windows[key] = [
                (micros(local_day_bounds(a, tz)[0]), micros(local_day_bounds(b, tz)[1])) for a, b in enrolled
            ]
        return found

    def period_label(self) -> str:
        """ "for the period 01/10/2026–31/10/2026", in the language now active (the family's)."""
        key = ("period", self.language)
        found = self.labels.get(key)
        if found is None:
            period = self.month.previous
            found = self.labels[key] = period_text(period.first, period.last)
        return found

    def proration(self, package: Package, ranges: list[DateRange]) -> Proration:
        # Its text is in the family's language: the language is part of what it depends on.
        key = (package.pk, tuple(ranges), self.language)
        found = self.prorations.get(key)
        if found is None:
            found = self.prorations[key] = prorate(
                package.proration, self.weekdays[package.pk], self.month, ranges
            )
        return found

    def document(self, key: tuple, make: Callable[[], DocumentLine]) -> DocumentLine:
        """A monthly product's line, the same for every child with the same price, share and detail."""
        found = self.documents.get(key)
        if found is None:
            found = self.documents[key] = make()
        return found


def _children(site: Site, enrolments: dict[int, list[_Enrolment]]) -> dict[int, list[_Child]]:
    """The site's children with an enrolment, by family (in the families' order), each with their payers'
    shares: the split, else the family's first payer wholly (as shares_of() says, without a query each)."""
    payers: dict[int, list[Payer]] = defaultdict(list)
    for payer in Payer.objects.filter(family__site=site).order_by("position", "pk"):
        payers[payer.family_id].append(payer)
    by_id = {payer.pk: payer for family in payers.values() for payer in family}
    split: dict[int, list[tuple[Payer, Decimal]]] = defaultdict(list)
    for customer_id, payer_id, percent in ChildShare.objects.filter(child__family__site=site).values_list(
        "child__customer_id", "payer_id", "percent"
    ):
        split[customer_id].append((by_id[payer_id], percent))
    children: dict[int, list[_Child]] = defaultdict(list)
    for family_id, customer_id, name, group in (
        FamilyChild.objects.filter(family__site=site)
        .order_by("family__name", "family_id", "customer__name")
        .values_list("family_id", "customer_id", "customer__name", "customer__group__name")
    ):
        if customer_id not in enrolments:
            continue
        shares = sorted(split.get(customer_id, ()), key=lambda s: (s[0].position, s[0].pk))
        if not shares and payers.get(family_id):
            shares = [(payers[family_id][0], HUNDRED)]
        children[family_id].append(_Child(customer_id, name, group, shares))
    return children


# -- one family --------------------------------------------------------------------------------------------


@dataclass
class _Made:
    invoices: int = 0
    to_review: int = 0
    total: Decimal = Decimal(0)


@dataclass
class _Line:
    """A line to write on a payer's draft: the document line and what the invoice line keeps beside it."""

    document: DocumentLine
    kind: str
    child_id: int
    product: Product
    package_id: int | None
    period: DateRange
    share: Decimal
    flags: list[tuple[int, str]] = field(default_factory=list)
    review_note: str = ""
    accepted: ReviewAcceptance | None = None
    child_name: str = ""

    def key(self, payer_id: int) -> tuple:
        package = self.package_id if self.kind == InvoiceLine.Kind.MONTHLY else None
        return (self.kind, payer_id, self.child_id, self.product.pk, package, self.period[0])


def _family_language(plan: _Plan, family_id: int) -> str:
    """The language of the family's invoices: its first payer's, else the site's."""
    payers = [payer for child in plan.children[family_id] for payer, _share in child.shares]
    return document_language(payers[0].language if payers else "", plan.site.language)


def _family_lines(plan: _Plan, family_id: int) -> list[tuple[Payer, list[_Line]]]:
    """Each payer of the family and the lines of their draft (what issued invoices bill left out)."""
    by_payer: dict[int, list[_Line]] = defaultdict(list)
    payers: dict[int, Payer] = {}
    for child in plan.children[family_id]:
        shares = child.shares
        for payer, _percent in shares:
            payers[payer.pk] = payer
        for payer_id, line in _child_lines(plan, child, shares):
            if line.key(payer_id) not in plan.billed:
                by_payer[payer_id].append(line)
    return [(payer, by_payer.get(payer_id, [])) for payer_id, payer in payers.items()]


def _child_lines(plan: _Plan, child: _Child, shares: list[tuple[Payer, Decimal]]):
    """Each payer's share of the child's lines: (payer id, line)."""
    month, period = plan.month, plan.month.previous
    enrolments = plan.enrolments[child.customer_id]
    by_package: dict[int, list[DateRange]] = defaultdict(list)
    for enrolment in enrolments:
        by_package[enrolment.package_id].append((enrolment.start, enrolment.end or date.max))
    daily: dict[int, tuple[Product, list[DateRange]]] = {}
    for package_id, ranges in by_package.items():
        package = plan.packages[package_id]
        for product, quantity in plan.items[package_id]:
            if product.kind == Product.Kind.DAILY_TIME:
                known = daily.setdefault(product.pk, (product, []))
                known[1].extend(ranges)
                continue
            proration = plan.proration(package, ranges)
            if proration.enrolled == 0:
                continue
            unit_price = rounded(proration.of_price(product.price or Decimal(0)), plan.site.currency)

            build = _monthly_builder(plan, product, quantity, unit_price, proration.text)
            for payer, share, document in _split(build, shares):
                yield (
                    payer.pk,
                    _Line(
                        document,
                        InvoiceLine.Kind.MONTHLY,
                        child.customer_id,
                        product,
                        package_id,
                        (month.first, month.last),
                        share,
                    ),
                )
    for product, ranges in daily.values():
        enrolled = clip(ranges, period.first, period.last)
        if not enrolled:
            continue
        yield from _extra_time(plan, child, product, enrolled, shares)


def _monthly_builder(plan: _Plan, product: Product, quantity: Decimal, unit_price: Decimal, detail: str):
    def build(share: Decimal, discount: Decimal) -> DocumentLine:
        return plan.document(
            (product.pk, quantity, unit_price, detail, share, discount),
            lambda: make_document_line(
                text=product.short_name,
                quantity=quantity * share / HUNDRED,
                unit_price=unit_price,
                vat_spec=plan.vat_spec(product),
                prices_include_vat=product.prices_include_vat,
                currency=plan.site.currency,
                discount=discount,
                detail=detail,
            ),
        )

    return build


def _extra_time(plan: _Plan, child: _Child, product: Product, enrolled: list[DateRange], shares):
    """The Daily Time line of one child and product for M−1: stays clipped to the enrolled days, priced by
    the engine; open or over-long stays flagged for review."""
    site, period = plan.site, plan.month.previous
    longest = site.max_stay_minutes * 60_000_000 if site.max_stay_minutes else None
    stays = plan.stays.get(child.customer_id, [])
    pairs, flags = clipped(stays, plan.enrolled_windows(enrolled), longest)
    if not pairs and not flags:
        return
    text = product.short_name
    if product.description.strip():
        text += " " + product.description.strip()
    if product.invoice_shows_period:
        text += " " + plan.period_label()
    vat = plan.vat_spec(product)
    currency = site.currency
    if pairs:
        tariff = plan.tariff(product)
        # A Daily Time tariff's explanation is kept compact (timetill/invoicing/explanation.py); it reads
        # as the engine's quote with the day-by-day detail.
        explained = tariff.explain_compact(pairs, group=child.group)
        clock = plan.local_clock()
        same_zone = tariff.clock is not None and tariff.clock.tz == clock.tz
        detail = compact_days if is_compact(explained.document) else day_detail
        days = detail(explained, pairs, clock, same_zone)
        explanation = {**explained.document, "days": days}
        unit_price = explained.amount
        if rounded(unit_price, explained.currency.code) != unit_price:
            raise BillingError(
                "invalid_quote", gettext_noop("The quote's total is not rounded to its currency.")
            )
        span = (instant(explained.start), instant(explained.end))

        def build(share: Decimal, discount: Decimal):
            # As line_from_quote() makes it: the total the unit price, the span the period, the explanation.
            return plan.lines.make(
                text=text,
                quantity=share / HUNDRED,
                unit_price=unit_price,
                vat_spec=vat,
                prices_include_vat=product.prices_include_vat,
                currency=explained.currency.code,
                discount=discount,
                period=span,
                explanation=explanation,
            )

    else:

        def build(share: Decimal, discount: Decimal):
            return plan.lines.make(
                text=text,
                quantity=share / HUNDRED,
                unit_price=Decimal(0),
                vat_spec=vat,
                prices_include_vat=product.prices_include_vat,
                currency=currency,
                discount=discount,
            )

    note, fingerprint = _review(plan, flags, stays)
    accepted = plan.acceptances.get((child.customer_id, product.pk), {}).get(fingerprint) if flags else None
    for payer, share, document in _split(build, shares):
        yield (
            payer.pk,
            _Line(
                document,
                InvoiceLine.Kind.EXTRA_TIME,
                child.customer_id,
                product,
                None,
                (period.first, period.last),
                share,
                flags=flags,
                review_note=note,
                accepted=accepted,
                child_name=child.name,
            ),
        )


def _split(build: Callable[[Decimal, Decimal], DocumentLine], shares: list[tuple[Payer, Decimal]]):
    """Each payer's share of a line; the rounding remainder goes to the last payer, so the shares add up
    to the whole line exactly."""
    if len(shares) == 1:
        payer, share = shares[0]
        yield payer, share, build(share, Decimal(0))
        return
    whole = build(HUNDRED, Decimal(0)).amount
    parts = [(payer, share, build(share, Decimal(0))) for payer, share in shares]
    excess = sum(p[2].amount for p in parts) - whole
    if excess:
        payer, share, _line = parts[-1]
        parts[-1] = (payer, share, build(share, excess))
    yield from parts


def fingerprint_of(flags: list[tuple[int, str, int | None]]) -> str:
    """The flagged stays as they stand (id, problem, end): an acceptance holds while they stay the same."""
    return ";".join(f"{i}:{p}:{e if e is not None else '-'}" for i, p, e in sorted(flags))


def _review(plan: _Plan, flags: list[tuple[int, str]], child_stays: list[RawStay]) -> tuple[str, str]:
    if not flags:
        return "", ""
    stays = {s[0]: s for s in child_stays}
    notes, full = [], []
    for line_id, problem in flags:
        _id, stay_start, stay_end = stays[line_id]
        start = instant(stay_start).astimezone(plan.tz)
        if problem == "open":
            note = _("stay from %(start)s still open (a forgotten check-out?)") % {
                "start": f"{start:%d/%m/%Y %H:%M}"
            }
        else:
            end = instant(stay_end).astimezone(plan.tz)
            note = _("stay from %(start)s to %(end)s longer than the maximum stay") % {
                "start": f"{start:%d/%m/%Y %H:%M}",
                "end": f"{end:%d/%m/%Y %H:%M}",
            }
        notes.append(note)
        full.append((line_id, problem, stay_end))
    return "; ".join(notes), fingerprint_of(full)


# -- writing a payer's draft -------------------------------------------------------------------------------


# What a refresh compares of a line it would write again: a line the same in all of these is kept as it is.
COMPARED = (
    "payer_id",
    "position",
    "kind",
    "child_id",
    "product_id",
    "package_id",
    "description",
    "detail",
    "period_start",
    "period_end",
    "quantity",
    "unit_price",
    "discount",
    "vat_rate",
    "vat_category",
    "vat_exemption_reason",
    "vat_exemption_code",
    "prices_include_vat",
    "share_percent",
    "net",
    "vat",
    "gross",
    "to_review",
    "review_note",
    "explanation",
)
_EXPLANATION = COMPARED.index("explanation")


def _write_drafts(plan: _Plan, run: InvoiceRun, drafts: list[tuple[Payer, list[_Line]]]) -> _Made:
    """Write the drafts of a batch of payers in a few queries: find their drafts, keep the lines the run
    made last time that come out the same (lines added by hand stay too), replace the others, and work out
    each draft's totals."""
    month, currency = plan.month, plan.site.currency
    found = {
        invoice.payer_id: invoice
        for invoice in Invoice.objects.select_for_update().filter(
            payer_id__in=[payer.pk for payer, _lines in drafts], month=month.first, state=Invoice.State.DRAFT
        )
    }
    old = [invoice.pk for invoice in found.values()]
    manual: dict[int, list[InvoiceLine]] = defaultdict(list)
    for line in InvoiceLine.objects.filter(invoice_id__in=old, kind=InvoiceLine.Kind.MANUAL):
        manual[line.invoice_id].append(line)
    # The run's lines of last time, as plain values: a refresh mostly finds them unchanged. The
    # explanations are read as text and decoded by orjson (a fifth of what the JSON field's decoder takes).
    previous: dict[int, dict[tuple, tuple[int, tuple]]] = defaultdict(dict)
    columns = [name for name in COMPARED if name != "explanation"]
    for values in (
        InvoiceLine.objects.filter(invoice_id__in=old)
        .exclude(kind=InvoiceLine.Kind.MANUAL)
        .annotate(explanation_text=Cast("explanation", TextField()))
        .values_list("id", "invoice_id", *columns, "explanation_text")
    ):
        line_id, invoice_id, text = values[0], values[1], values[-1]
        compared = values[2:-1]
        compared = (
            *compared[:_EXPLANATION],
            None if text is None else orjson.loads(text),
            *compared[_EXPLANATION:],
        )
        previous[invoice_id][compared[:6]] = (line_id, compared)
    stale = {line_id for lines in previous.values() for line_id, _c in lines.values()}
    # A draft left with nothing (a child no longer enrolled) goes, unless it has lines added by hand.
    empty = [
        found.pop(payer.pk).pk
        for payer, lines in drafts
        if not lines and payer.pk in found and found[payer.pk].pk not in manual
    ]
    made = _Made()
    ids = {payer_id: invoice.pk for payer_id, invoice in found.items()}
    new: list[dict[str, Any]] = []
    blank = defaults(Invoice)
    for payer, lines in drafts:
        invoice = found.get(payer.pk)
        if invoice is None and not lines:
            continue
        kept = manual.get(invoice.pk, []) if invoice is not None else []
        documents = [*(line.document for line in lines), *(taxable(line) for line in kept)]
        totals = plan.totals.of(documents, currency)
        fields = {
            "net": totals.net,
            "vat": totals.vat,
            "gross": totals.gross,
            "vat_breakdown": breakdown_json(totals.by_rate),
        }
        if invoice is None:
            # A new draft, as plain values (no model instance): Invoice(...) with these fields.
            new.append(
                {
                    **blank,
                    "site_id": plan.site.pk,
                    "family_id": payer.family_id,
                    "payer_id": payer.pk,
                    "month": month.first,
                    "currency": currency,
                    "created_at": run.started_at,
                    "run_id": run.pk,
                    "state": Invoice.State.DRAFT,
                    "seller": {},
                    "vat_breakdown": [],
                    **fields,
                }
            )
        elif any(getattr(invoice, name) != value for name, value in fields.items()):
            # A refresh mostly finds the same totals: write only the drafts that changed.
            Invoice.objects.filter(pk=invoice.pk).update(**fields)
        made.invoices += 1
        made.total += totals.gross
    Invoice.objects.filter(pk__in=[invoice.pk for invoice in found.values()]).update(run=run)
    ids.update(_insert_drafts(new, month))
    rows: list[dict[str, Any]] = []
    flagged: list[tuple[InvoiceLine, _Line]] = []
    for payer, lines in drafts:
        invoice_id = ids.get(payer.pk)
        if invoice_id is None:
            continue
        before = previous.get(invoice_id, {})
        position = max((line.position for line in manual.get(invoice_id, [])), default=0)
        for line in lines:
            position += 1
            row = _row(invoice_id, payer.pk, position, line)
            if line.flags:
                # A line to review is written again with its flagged stays (and any acceptance).
                flagged.append((InvoiceLine(**row), line))
                plan.warnings.append(f"{line.child_name}: {line.review_note}")
                made.to_review += line.accepted is None
                continue
            compared = tuple(row[name] for name in COMPARED)
            same = before.get(compared[:6])
            if same is not None and same[1] == compared:
                stale.discard(same[0])
                continue
            rows.append(row)
    if stale:
        FlaggedStay.objects.filter(line_id__in=stale).delete()
        InvoiceLine.objects.filter(pk__in=stale).delete()
    Invoice.objects.filter(pk__in=empty).delete()
    # The lines to review are created with their ids (their flagged stays point at them); the rest, most
    # of a run, in one statement run per row.
    insert_values(InvoiceLine, rows)
    InvoiceLine.objects.bulk_create([row for row, _line in flagged])
    FlaggedStay.objects.bulk_create(
        FlaggedStay(line=row, time_line_id=time_line_id, problem=problem)
        for row, line in flagged
        for time_line_id, problem in line.flags
    )
    return made


def _insert_drafts(rows: list[dict[str, Any]], month: Month) -> dict[int, int]:
    """Insert new drafts (plain values) and return their ids by payer, read back by payer and month (one
    draft per payer and month: a unique constraint). They go by COPY on PostgreSQL (psycopg would parse a
    long multi-row INSERT's placeholders in Python) and by multi-row INSERTs on SQLite."""
    if not rows:
        return {}
    insert_values(Invoice, rows)
    return dict(
        Invoice.objects.filter(
            payer_id__in=[row["payer_id"] for row in rows], month=month.first, state=Invoice.State.DRAFT
        ).values_list("payer_id", "id")
    )


def _row(invoice_id: int, payer_id: int, position: int, line: _Line) -> dict[str, Any]:
    """An invoice line's field values (by attname), as documents.line_row() writes them."""
    document = line.document
    spec = document.vat_spec
    return {
        "invoice_id": invoice_id,
        "payer_id": payer_id,
        "position": position,
        "kind": line.kind,
        "child_id": line.child_id,
        "product_id": line.product.pk,
        "package_id": line.package_id,
        "description": document.text[:300],
        "detail": document.detail[:200],
        "period_start": line.period[0],
        "period_end": line.period[1],
        "quantity": document.quantity,
        "unit_price": document.unit_price,
        "discount": document.discount,
        "vat_rate": spec.rate,
        "vat_category": spec.category.value,
        "vat_exemption_reason": spec.exemption_reason,
        "vat_exemption_code": spec.exemption_code,
        "prices_include_vat": document.prices_include_vat,
        "share_percent": line.share,
        "net": document.net,
        "vat": document.vat,
        "gross": document.gross,
        "explanation": document.explanation,
        "to_review": bool(line.flags),
        "review_note": line.review_note,
        "reviewed_id": None if line.accepted is None else line.accepted.pk,
    }
