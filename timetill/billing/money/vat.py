"""VAT: categories (EN 16931 codes), a rate's specification, and the one rounding rule (per rate, on the sum).

The rule (EN 16931 BR-CO-17): the VAT of a document is worked out per VAT rate and category, once, on the sum
of that rate's amounts, never line by line. Prices entered VAT excluded: the VAT is the sum of the nets times
the rate, rounded half up. Prices entered VAT included: the gross the customer was shown is kept as it is; the
VAT is extracted once from the sum of the grosses, gross × rate / (100 + rate), rounded half up, and the net
is the gross less that VAT. When one rate has lines of both bases, each basis is worked out this way and
the two are added. docs/billing.md gives worked examples.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, localcontext
from enum import StrEnum
from typing import Protocol

from timetill.pricing.text import gettext_noop, text

from .amounts import BillingError, rounded

HUNDRED = Decimal(100)


class VatCategory(StrEnum):
    """The VAT category codes of EN 16931 (UNCL 5305) a business here meets."""

    STANDARD = "S"
    ZERO = "Z"
    EXEMPT = "E"
    REVERSE_CHARGE = "AE"
    OUT_OF_SCOPE = "O"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def needs_reason(self) -> bool:
        """Whether a document must say why no VAT is charged (EN 16931 BR-E-10, BR-AE-10, BR-O-10)."""
        return self in (VatCategory.EXEMPT, VatCategory.REVERSE_CHARGE, VatCategory.OUT_OF_SCOPE)


_LABELS = {
    VatCategory.STANDARD: gettext_noop("Standard rate"),
    VatCategory.ZERO: gettext_noop("Zero rated"),
    VatCategory.EXEMPT: gettext_noop("Exempt from VAT"),
    VatCategory.REVERSE_CHARGE: gettext_noop("Reverse charge"),
    VatCategory.OUT_OF_SCOPE: gettext_noop("Not subject to VAT"),
}


@dataclass(frozen=True, slots=True)
class VatSpec:
    """A VAT rate as a document states it: percent, category, and for an exemption its reason and reference.

    `exemption_reason` is the text printed (e.g. "Exonération de TVA, art. 261-4-4° du CGI"); `exemption_code`
    the code an e-invoice carries (VATEX, e.g. "VATEX-EU-132-1I", or the Italian natura "N4").
    """

    rate: Decimal
    category: VatCategory = VatCategory.STANDARD
    exemption_reason: str = ""
    exemption_code: str = ""

    def __post_init__(self) -> None:
        rate = Decimal(self.rate)
        object.__setattr__(self, "rate", rate)
        object.__setattr__(self, "category", VatCategory(self.category))
        if not rate.is_finite() or rate < 0 or rate >= HUNDRED:
            raise BillingError(
                "invalid_vat_rate",
                gettext_noop("A VAT rate is a percentage from 0 to less than 100, not {rate}."),
                field="rate",
                rate=f"{rate:f}" if rate.is_finite() else str(rate),
            )
        if self.category == VatCategory.STANDARD and rate == 0:
            raise BillingError(
                "invalid_vat_rate",
                gettext_noop("A standard rate is above zero: for no VAT, choose another category."),
                field="rate",
            )
        if self.category != VatCategory.STANDARD and rate != 0:
            raise BillingError(
                "invalid_vat_rate",
                gettext_noop("The rate of the category “{category}” is zero, not {rate_number} percent."),
                field="rate",
                category=text(self.category.label),
                rate_number=f"{rate:f}",
            )
        if self.category.needs_reason and not self.exemption_reason.strip():
            raise BillingError(
                "exemption_reason_required",
                gettext_noop(
                    "Say why no VAT is charged and under which law "
                    "(e.g. art. 261-4-4° CGI, art. 10 DPR 633/72)."
                ),
                field="exemption_reason",
            )

    @property
    def key(self) -> tuple[Decimal, str, str]:
        """What groups lines into one VAT subtotal: the rate, its category and its exemption."""
        return (self.rate.normalize(), self.category.value, self.exemption_code or self.exemption_reason)


class Taxable(Protocol):
    """What vat_breakdown reads of a line: its VAT spec, its amount after discount, and its price basis."""

    @property
    def vat_spec(self) -> VatSpec: ...

    @property
    def amount(self) -> Decimal: ...

    @property
    def prices_include_vat(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class VatSubtotal:
    """The lines of one VAT rate: their taxable (net) amount, VAT and gross (EN 16931 BG-23)."""

    vat_spec: VatSpec
    net: Decimal
    vat: Decimal
    gross: Decimal

    @property
    def rate(self) -> Decimal:
        return self.vat_spec.rate


def extract_vat(gross: Decimal, rate: Decimal, currency_code: str) -> Decimal:
    """The VAT inside a VAT-included amount, rounded half up."""
    with localcontext() as ctx:
        ctx.prec = 50  # exact for any amount a document holds
        return rounded(gross * rate / (HUNDRED + rate), currency_code)


def add_vat(net: Decimal, rate: Decimal, currency_code: str) -> Decimal:
    """The VAT on a VAT-excluded amount, rounded half up."""
    with localcontext() as ctx:
        ctx.prec = 50
        return rounded(net * rate / HUNDRED, currency_code)


def vat_breakdown(lines: Iterable[Taxable], currency_code: str) -> tuple[VatSubtotal, ...]:
    """The document's VAT per rate (highest rate first), each worked out once on the sum of its lines."""
    sums: dict[tuple[Decimal, str, str], tuple[VatSpec, dict[bool, Decimal]]] = {}
    for line in lines:
        spec, bases = sums.setdefault(line.vat_spec.key, (line.vat_spec, {}))
        bases[line.prices_include_vat] = bases.get(line.prices_include_vat, Decimal(0)) + Decimal(line.amount)
    out = []
    for spec, bases in sums.values():
        net = tax = gross = rounded(Decimal(0), currency_code)
        if True in bases:
            included = rounded(bases[True], currency_code)
            inside = extract_vat(included, spec.rate, currency_code)
            net, tax, gross = net + included - inside, tax + inside, gross + included
        if False in bases:
            excluded = rounded(bases[False], currency_code)
            on_top = add_vat(excluded, spec.rate, currency_code)
            net, tax, gross = net + excluded, tax + on_top, gross + excluded + on_top
        out.append(VatSubtotal(spec, net, tax, gross))
    out.sort(key=lambda s: (s.rate, s.vat_spec.category.value), reverse=True)
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Totals:
    """A document's net, VAT and gross, and its VAT subtotals."""

    net: Decimal
    vat: Decimal
    gross: Decimal
    by_rate: tuple[VatSubtotal, ...]


def totals_of(lines: Iterable[Taxable], currency_code: str) -> Totals:
    """The document's totals: the sums of its VAT subtotals."""
    by_rate = vat_breakdown(lines, currency_code)
    zero = rounded(Decimal(0), currency_code)
    return Totals(
        net=sum((s.net for s in by_rate), zero),
        vat=sum((s.vat for s in by_rate), zero),
        gross=sum((s.gross for s in by_rate), zero),
        by_rate=by_rate,
    )


class DocumentTotals:
    """totals_of() for many documents of few shapes (a monthly run's drafts: the same fee, a few
    extra-time totals): each shape's totals are worked out once, by totals_of().

    A shape is the lines' VAT specs, amounts (by their text: 1.0 and 1.00 add up to totals that print
    differently) and price bases, in order, and the currency."""

    __slots__ = ("_totals",)

    def __init__(self) -> None:
        self._totals: dict[tuple[object, ...], Totals] = {}

    def of(self, lines: Iterable[Taxable], currency_code: str) -> Totals:
        """What totals_of(lines, currency_code) gives."""
        lines = list(lines)
        key = (
            currency_code,
            *(
                (
                    str(line.vat_spec.rate),
                    line.vat_spec.category,
                    line.vat_spec.exemption_reason,
                    line.vat_spec.exemption_code,
                    str(line.amount),
                    line.prices_include_vat,
                )
                for line in lines
            ),
        )
        found = self._totals.get(key)
        if found is None:
            found = self._totals[key] = totals_of(lines, currency_code)
        return found
