"""The monthly run: one draft invoice per payer with the packages' monthly products of month M (prorated)
and each Daily Time product's extra time of M−1, priced by the engine; forgotten check-outs flagged, never
billed silently; refreshed idempotently; issued invoices never touched; one run of a month at a time."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from timetill.billing.money import DocumentLine, line_from_quote, make_document_line, rounded, totals_of
from timetill.catalog.models import Package, Product
from timetill.catalog.packages import planned_weekdays
from timetill.catalog.tariffs import tariff_at
from timetill.errors import Conflict, NotFound, TimetillError
from timetill.invoicing.bulk import insert_rows
from timetill.invoicing.documents import breakdown_json, line_row, taxable, vat_spec_of
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
from timetill.invoicing.month import DateRange, Month, clip, period_text, prorate
from timetill.invoicing.stays import RawStay, instant, micros, read_stays
from timetill.pricing import Tariff
from timetill.sites.localtime import local_day_bounds
from timetill.sites.models import Site
from timetill.timelines.actors import Actor

# A run that has not ended this long after it started died with its process: a new one may start.
STALE_AFTER = timedelta(hours=1)
# Families drafted in one transaction (and between two progress writes): few enough that a failure loses
# little and the progress bar moves, many enough that the queries are not the run's cost.
FAMILIES_PER_TRANSACTION = 100
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
        plan = _Plan.load(run.site, Month(run.month))
        families = plan.families()
        total_families = len(families)
        InvoiceRun.objects.filter(pk=run.pk).update(total_families=total_families)
        invoices, to_review, total = 0, 0, Decimal(0)
        done = 0
        for start in range(0, total_families, FAMILIES_PER_TRANSACTION):
            chunk = families[start : start + FAMILIES_PER_TRANSACTION]
            drafts = [entry for family_id in chunk for entry in _family_lines(plan, family_id)]
            with transaction.atomic():
                made = _write_drafts(plan, run, drafts)
            invoices += made.invoices
            to_review += made.to_review
            total += made.total
            done += len(chunk)
            InvoiceRun.objects.filter(pk=run.pk).update(done_families=done)
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
    except BaseException as error:
        message = getattr(error, "message", None) or str(error) or type(error).__name__
        InvoiceRun.objects.filter(pk=run.pk).update(
            state=InvoiceRun.State.FAILED, finished_at=timezone.now(), summary={"error": message}
        )
        raise


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
    tariffs: dict[int, Tariff] = field(default_factory=dict)

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

    def tariff(self, product: Product) -> Tariff:
        found = self.tariffs.get(product.pk)
        if found is None:
            found = self.tariffs[product.pk] = tariff_at(
                product.tariff, currency=self.site.currency, time_zone=self.site.time_zone
            )
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
            proration = prorate(package.proration, plan.weekdays[package_id], month, ranges)
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
        return make_document_line(
            text=product.short_name,
            quantity=quantity * share / HUNDRED,
            unit_price=unit_price,
            vat_spec=vat_spec_of(product),
            prices_include_vat=product.prices_include_vat,
            currency=plan.site.currency,
            discount=discount,
            detail=detail,
        )

    return build


def _extra_time(plan: _Plan, child: _Child, product: Product, enrolled: list[DateRange], shares):
    """The Daily Time line of one child and product for M−1: stays clipped to the enrolled days, priced by
    the engine; open or over-long stays flagged for review."""
    tz, site, period = plan.tz, plan.site, plan.month.previous
    windows = [(micros(local_day_bounds(a, tz)[0]), micros(local_day_bounds(b, tz)[1])) for a, b in enrolled]
    longest = site.max_stay_minutes * 60_000_000 if site.max_stay_minutes else None
    pairs: list[tuple[int, int]] = []
    flags: list[tuple[int, str]] = []
    for stay in plan.stays.get(child.customer_id, ()):
        inside = [(max(stay.start, a), b if stay.end is None else min(stay.end, b)) for a, b in windows]
        inside = [(a, b) for a, b in inside if a < b]
        if not inside:
            continue
        if stay.end is None:
            flags.append((stay.id, "open"))
            continue  # an open stay has no end to price: it waits for its check-out to be corrected
        if longest is not None and stay.end - stay.start > longest:
            flags.append((stay.id, "too_long"))
        pairs.extend(inside)
    if not pairs and not flags:
        return
    text = product.short_name
    if product.description.strip():
        text += " " + product.description.strip()
    if product.invoice_shows_period:
        text += " " + period_text(period.first, period.last)
    vat = vat_spec_of(product)
    currency = site.currency
    if pairs:
        tariff = plan.tariff(product)
        group = child.group
        quote = tariff.quote_micros(pairs, group=group)
        days = _days(quote, pairs, tz)

        def build(share: Decimal, discount: Decimal):
            line = line_from_quote(
                quote,
                text=text,
                vat_spec=vat,
                prices_include_vat=product.prices_include_vat,
                quantity=share / HUNDRED,
                discount=discount,
            )
            return _with_days(line, days)

    else:

        def build(share: Decimal, discount: Decimal):
            return make_document_line(
                text=text,
                quantity=share / HUNDRED,
                unit_price=Decimal(0),
                vat_spec=vat,
                prices_include_vat=product.prices_include_vat,
                currency=currency,
                discount=discount,
            )

    note, fingerprint = _review(plan, flags)
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


def _review(plan: _Plan, flags: list[tuple[int, str]]) -> tuple[str, str]:
    if not flags:
        return "", ""
    stays = {s.id: s for ss in plan.stays.values() for s in ss if s.id in {f[0] for f in flags}}
    notes, full = [], []
    for line_id, problem in flags:
        stay = stays[line_id]
        start = instant(stay.start).astimezone(plan.tz)
        if problem == "open":
            note = _("stay from %(start)s still open (a forgotten check-out?)") % {
                "start": f"{start:%d/%m/%Y %H:%M}"
            }
        else:
            end = instant(stay.end).astimezone(plan.tz)
            note = _("stay from %(start)s to %(end)s longer than the maximum stay") % {
                "start": f"{start:%d/%m/%Y %H:%M}",
                "end": f"{end:%d/%m/%Y %H:%M}",
            }
        notes.append(note)
        full.append((line_id, problem, stay.end))
    return "; ".join(notes), fingerprint_of(full)


def _days(quote, pairs: list[tuple[int, int]], tz: ZoneInfo) -> list[dict[str, str]]:
    """The day-by-day detail a family reads: date, arrival, departure, early and late time, amount."""
    days: dict[date, dict[str, Any]] = {}
    for a, b in pairs:
        start, end = instant(a).astimezone(tz), instant(b).astimezone(tz)
        day = days.setdefault(
            start.date(), {"arrival": start, "departure": end, "early": 0, "late": 0, "amount": Decimal(0)}
        )
        day["arrival"], day["departure"] = min(day["arrival"], start), max(day["departure"], end)
    for line in quote.lines:
        if line.start is None:
            continue
        day = days.get(line.start.astimezone(tz).date())
        if day is None:
            continue
        if line.code in ("early", "late"):
            day[line.code] += round((line.end - line.start).total_seconds() / 60)
        day["amount"] += line.amount.amount
    return [
        {
            "date": d.isoformat(),
            "arrival": f"{v['arrival'].hour:02d}:{v['arrival'].minute:02d}",
            "departure": f"{v['departure'].hour:02d}:{v['departure'].minute:02d}",
            "early_minutes": v["early"],
            "late_minutes": v["late"],
            "amount": str(v["amount"]),
        }
        for d, v in sorted(days.items())
    ]


def _with_days(line: DocumentLine, days: list[dict[str, str]]) -> DocumentLine:
    return replace(line, explanation={**(line.explanation or {}), "days": days})


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
    # The run's lines of last time, as plain values: a refresh mostly finds them unchanged.
    previous: dict[int, dict[tuple, tuple[int, tuple]]] = defaultdict(dict)
    for values in (
        InvoiceLine.objects.filter(invoice_id__in=old)
        .exclude(kind=InvoiceLine.Kind.MANUAL)
        .values_list("id", "invoice_id", *COMPARED)
    ):
        line_id, invoice_id, compared = values[0], values[1], values[2:]
        previous[invoice_id][compared[:6]] = (line_id, compared)
    stale = {line_id for lines in previous.values() for line_id, _c in lines.values()}
    # A draft left with nothing (a child no longer enrolled) goes, unless it has lines added by hand.
    empty = [
        found.pop(payer.pk).pk
        for payer, lines in drafts
        if not lines and payer.pk in found and found[payer.pk].pk not in manual
    ]
    made = _Made()
    new: list[Invoice] = []
    for payer, lines in drafts:
        invoice = found.get(payer.pk)
        if invoice is None and not lines:
            continue
        kept = manual.get(invoice.pk, []) if invoice is not None else []
        totals = totals_of([*(line.document for line in lines), *(taxable(line) for line in kept)], currency)
        fields = {
            "net": totals.net,
            "vat": totals.vat,
            "gross": totals.gross,
            "vat_breakdown": breakdown_json(totals.by_rate),
        }
        if invoice is None:
            invoice = Invoice(
                site=plan.site,
                family_id=payer.family_id,
                payer=payer,
                month=month.first,
                currency=currency,
                created_at=run.started_at,
                run=run,
                **fields,
            )
            new.append(invoice)
        elif any(getattr(invoice, name) != value for name, value in fields.items()):
            # A refresh mostly finds the same totals: write only the drafts that changed.
            Invoice.objects.filter(pk=invoice.pk).update(**fields)
        made.invoices += 1
        made.total += totals.gross
    Invoice.objects.filter(pk__in=[invoice.pk for invoice in found.values()]).update(run=run)
    for invoice in Invoice.objects.bulk_create(new):
        found[invoice.payer_id] = invoice
    rows: list[InvoiceLine] = []
    flagged: list[tuple[InvoiceLine, _Line]] = []
    for payer, lines in drafts:
        invoice = found.get(payer.pk)
        if invoice is None:
            continue
        before = previous.get(invoice.pk, {})
        position = max((line.position for line in manual.get(invoice.pk, [])), default=0)
        for line in lines:
            position += 1
            row = line_row(
                invoice,
                position,
                line.document,
                payer=payer,
                kind=line.kind,
                child_id=line.child_id,
                product=line.product,
                package_id=line.package_id,
                period_start=line.period[0],
                period_end=line.period[1],
                share_percent=line.share,
                to_review=bool(line.flags),
                review_note=line.review_note,
                reviewed=line.accepted,
            )
            if line.flags:
                # A line to review is written again with its flagged stays (and any acceptance).
                flagged.append((row, line))
                plan.warnings.append(f"{line.child_name}: {line.review_note}")
                made.to_review += line.accepted is None
            else:
                compared = tuple(getattr(row, name) for name in COMPARED)
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
    to_review = {id(row) for row, _line in flagged}
    insert_rows(InvoiceLine, [row for row in rows if id(row) not in to_review])
    InvoiceLine.objects.bulk_create([row for row, _line in flagged])
    FlaggedStay.objects.bulk_create(
        FlaggedStay(line=row, time_line_id=time_line_id, problem=problem)
        for row, line in flagged
        for time_line_id, problem in line.flags
    )
    return made
