"""Tariffs: parsing a versioned tariff document into validated rules, writing it back, and quoting stays."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from .engine import Env, Priced, Rules
from .errors import Problem, StayError, TariffError, problem
from .fields import (
    INVALID,
    Choice,
    Const,
    Context,
    CurrencyCode,
    Field,
    Flag,
    MapOf,
    Obj,
    Percent,
    Prop,
    Schema,
    Text,
    TimeZoneName,
    shown,
)
from .money import Currency, round_half_up
from .quote import ADJUSTMENT, Quote, Vat
from .registry import KINDS
from .spans import from_us, parse_instant, to_us
from .text import gettext_noop

VERSION = 1
_NOT_A_KIND = gettext_noop("{value} is not a tariff kind ({options})")
MAX_DOCUMENT_CHARS = 1_000_000  # a tariff is a few kilobytes; refuse anything absurd before parsing it


def _kind_prop() -> Prop:
    return Prop("kind", Choice(tuple(KINDS), "The kind of tariff."), required=True)


class NestedTariff(Field):
    """A customer group's own tariff: a kind and its rules; currency, time zone and VAT are inherited."""

    description = "A tariff of any kind for this group (kind and rules only; the rest is inherited)."

    def parse(self, raw: object, path: str, ctx: Context) -> Any:
        if not isinstance(raw, dict):
            return ctx.error(path, gettext_noop("{value} is not an object"), value=shown(raw))
        kind = raw.get("kind")
        spec = KINDS.get(kind) if isinstance(kind, str) else None
        if spec is None:
            return ctx.error(f"{path}.kind", _NOT_A_KIND, value=shown(kind), options=", ".join(KINDS))
        return _rules_obj(spec.name).parse(raw, path, ctx)

    def dump(self, value: Any, ctx: Context) -> Any:
        return _rules_obj(value["kind"]).dump(value, ctx)

    def schema(self, defs: dict[str, Schema]) -> Schema:
        return self._described({"oneOf": [_rules_obj(name).schema(defs) for name in KINDS]})


GROUP_FIELD = Obj(
    (
        Prop("tariff", NestedTariff()),
        Prop("discount_percent", Percent("A discount on the total, in percent.")),
    ),
    description="The price for a customer group: another tariff, or a percentage discount.",
    exactly_one=(("tariff", "discount_percent"),),
)

COMMON_PROPS = (
    Prop(
        "$schema",
        Text("The schema this document follows (for editors; not used for pricing).", max_length=300),
    ),
    Prop(
        "version",
        Const(
            VERSION,
            "Version of the tariff document format.",
            gettext_noop("unsupported version (this engine reads version {expected})"),
        ),
        required=True,
    ),
    _kind_prop(),
    Prop("name", Text("The tariff's name.")),
    Prop("description", Text("Free text for staff.", max_length=2000)),
    Prop("currency", CurrencyCode("ISO 4217 currency of every amount in the document."), required=True),
    Prop("time_zone", TimeZoneName("IANA time zone of the site: bands and days are in its local time.")),
    Prop("prices_include_vat", Flag("Whether the prices include VAT."), default=True),
    Prop("vat_rate", Percent("The product's VAT rate in percent, for the VAT breakdown.", allow_zero=True)),
    Prop("groups", MapOf(GROUP_FIELD, "Prices for customer groups, by group name.")),
)


def _rules_obj(kind: str) -> Obj:
    spec = KINDS[kind]
    kind_prop = Prop("kind", Const(kind, "The kind of tariff."), required=True)
    return Obj(
        (kind_prop, *spec.props),
        title=f"{spec.title} rules",
        exactly_one=spec.exactly_one,
        name=f"{kind}_rules",
        description=spec.description,
    )


def _document_obj(kind: str) -> Obj:
    spec = KINDS[kind]
    props = tuple(
        Prop("kind", Const(kind, "The kind of tariff."), required=True) if p.name == "kind" else p
        for p in COMMON_PROPS
    )
    return Obj(
        (*props, *spec.props),
        title=f"{spec.title} tariff",
        exactly_one=spec.exactly_one,
        name=f"{kind}_tariff",
        description=spec.description,
    )


@dataclass(frozen=True, slots=True)
class GroupPrice:
    """A customer group's price: its own tariff, or a discount in percent on the total."""

    tariff: Tariff | None = None
    discount_percent: Decimal | None = None


# The instants quote_micros() takes: wide enough for any stay, narrow enough for any local-time arithmetic.
_FIRST_US = to_us(datetime(1900, 1, 1, tzinfo=UTC))
_LAST_US = to_us(datetime(2200, 1, 1, tzinfo=UTC)) - 1


@dataclass(frozen=True, slots=True)
class Tariff:
    """A validated tariff. Build it with parse_tariff(); price stays with quote()."""

    rules: Rules
    currency: Currency
    time_zone: ZoneInfo | None = None
    name: str | None = None
    description: str | None = None
    prices_include_vat: bool = True
    vat_rate: Decimal | None = None
    groups: Mapping[str, GroupPrice] = field(default_factory=dict)
    schema_ref: str | None = None

    @property
    def kind(self) -> str:
        return self.rules.kind

    @property
    def env(self) -> Env:
        return Env(self.currency, self.time_zone)

    # -- documents ---------------------------------------------------------------------------------------

    def to_document(self) -> dict[str, Any]:
        """The canonical document: members in schema order, defaults left out, amounts as strings."""
        ctx = Context()
        ctx.currency = self.currency
        values = {
            "$schema": self.schema_ref,
            "version": VERSION,
            "kind": self.kind,
            "name": self.name,
            "description": self.description,
            "currency": self.currency,
            "time_zone": self.time_zone,
            "prices_include_vat": self.prices_include_vat,
            "vat_rate": self.vat_rate,
            "groups": {
                name: {
                    "tariff": None
                    if g.tariff is None
                    else {"kind": g.tariff.kind, **g.tariff.rules.values()},
                    "discount_percent": g.discount_percent,
                }
                for name, g in self.groups.items()
            }
            or None,
            **self.rules.values(),
        }
        document: dict[str, Any] = _document_obj(self.kind).dump(values, ctx)
        return document

    def to_json(self) -> str:
        return json.dumps(self.to_document(), indent=2, ensure_ascii=False) + "\n"

    # -- quoting -----------------------------------------------------------------------------------------

    def micros(self, value: datetime | str, what: str) -> int:
        """An instant given as an aware datetime or ISO text (naive text is read in the tariff's time zone),
        in microseconds since the epoch; a naive datetime is refused."""
        if isinstance(value, str):
            value = parse_instant(value, self.time_zone, what)
        return to_us(value, what)

    def quote(
        self,
        start: datetime | str | None = None,
        end: datetime | str | None = None,
        *,
        stays: Iterable[tuple[datetime | str, datetime | str]] | None = None,
        group: str | None = None,
        choice: str | None = None,
    ) -> Quote:
        """The price of one stay (start, end) or of a period's stays, for a customer group if given.

        `choice` charges the named choice (a ladder step's label) instead of the proposed one.

        A stay still open is priced "so far" by passing end=now. Raises StayError for naive instants,
        an end before its start, or several stays for a kind that prices one stay at a time.
        """
        pairs: list[tuple[int, int]] = []
        if stays is not None:
            if start is not None or end is not None:
                raise StayError(gettext_noop("give either start and end, or stays"), code="stays_and_span")
            for i, (a, b) in enumerate(stays):
                pairs.append(self._pair(a, b, f"stays[{i}]."))
            if not pairs:
                raise StayError(gettext_noop("stays: no stays to price"), code="no_stays")
        else:
            if start is None or end is None:
                raise StayError(gettext_noop("start and end are required"), code="missing_span")
            pairs.append(self._pair(start, end, ""))
        return self._quote(pairs, group, choice)

    def quote_micros(self, stays: Sequence[tuple[int, int]], *, group: str | None = None) -> Quote:
        """The price of a period's stays given as microseconds since the epoch (UTC), as a database reads
        them in bulk: the same quote as quote(stays=...) over the same instants, without a datetime made
        and taken apart again for each stay. Raises StayError for an end before its start or no stays."""
        return self._quote(self.checked_micros(stays), group, None)

    def checked_micros(self, stays: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
        """Stays given as microseconds since the epoch, checked as quote_micros() checks them."""
        pairs = [(a, b) for a, b in stays]
        if pairs and all(
            type(a) is int and type(b) is int and _FIRST_US <= a <= b <= _LAST_US for a, b in pairs
        ):
            return pairs  # all of them good (a month of a daycare's): one pass
        pairs = []
        for i, (a, b) in enumerate(stays):
            if type(a) is not int or type(b) is not int:
                raise StayError(
                    gettext_noop("{field}: microseconds since the epoch are integers"),
                    code="not_micros",
                    field=f"stays[{i}]",
                )
            if not (_FIRST_US <= a <= _LAST_US and _FIRST_US <= b <= _LAST_US):
                raise StayError(
                    gettext_noop("{field}: outside the years 1900 to 2199"),
                    code="out_of_range",
                    field=f"stays[{i}]",
                )
            if b < a:
                zone = self.time_zone
                raise StayError(
                    gettext_noop("{field}: {value} is before {start_field} {start}"),
                    code="end_before_start",
                    field=f"stays[{i}].end",
                    start_field=f"stays[{i}].start",
                    value=from_us(b).astimezone(zone).isoformat(),
                    start=from_us(a).astimezone(zone).isoformat(),
                )
            pairs.append((a, b))
        if not pairs:
            raise StayError(gettext_noop("stays: no stays to price"), code="no_stays")
        return pairs

    def _pair(self, start: datetime | str, end: datetime | str, where: str) -> tuple[int, int]:
        a = self.micros(start, where + "start")
        b = self.micros(end, where + "end")
        if b < a:
            zone = self.time_zone
            raise StayError(
                gettext_noop("{field}: {value} is before {start_field} {start}"),
                code="end_before_start",
                field=f"{where}end",
                start_field=f"{where}start",
                value=from_us(b).astimezone(zone).isoformat(),
                start=from_us(a).astimezone(zone).isoformat(),
            )
        return a, b

    def _quote(self, pairs: list[tuple[int, int]], group: str | None, choice: str | None = None) -> Quote:
        chosen = self.groups.get(group) if group is not None else None
        tariff = chosen.tariff if chosen is not None and chosen.tariff is not None else self
        rules = tariff.rules
        if rules.per_stay and len(pairs) != 1:
            raise StayError(
                gettext_noop("stays: a {kind} tariff prices one stay at a time, not {count}"),
                code="one_stay_only",
                kind=rules.kind,
                count=len(pairs),
            )
        env = Env(self.currency, self.time_zone, choice)
        priced: Priced = rules.price(pairs, env)
        lines, total = priced.lines, priced.total
        if chosen is not None and chosen.discount_percent is not None and total:
            pct = chosen.discount_percent
            discount = round_half_up(total * int(pct * 10_000), 1_000_000)
            label = f"Group {group}: {pct:f} % discount"
            lines = (*lines, env.line("discount", ADJUSTMENT, label, None, None, 1, "", None, "", -discount))
            total -= discount
        start = min(p[0] for p in pairs) if len(pairs) > 1 else pairs[0][0]
        end = max(p[1] for p in pairs) if len(pairs) > 1 else pairs[0][1]
        return Quote(
            tariff=self.name or "",
            kind=rules.kind,
            start=from_us(start),
            end=from_us(end),
            group=group,
            lines=lines,
            total=env.money(total),
            prices_include_vat=self.prices_include_vat,
            vat=self._vat(total, env) if self.vat_rate is not None else None,
            choices=priced.choices,
            time_zone=self.time_zone,
        )

    def _vat(self, total: int, env: Env) -> Vat:
        assert self.vat_rate is not None
        net, tax, gross = self.vat_minor(total)
        return Vat(self.vat_rate, env.money(net), env.money(tax), env.money(gross))

    def vat_minor(self, total: int) -> tuple[int, int, int]:
        """Net, VAT and gross of a total in minor units, the VAT worked out once on the total."""
        assert self.vat_rate is not None
        rate = int(self.vat_rate * 10_000)  # the rate in ten-thousandths of a percent, exact
        if self.prices_include_vat:
            tax = round_half_up(total * rate, 1_000_000 + rate)
            return total - tax, tax, total
        tax = round_half_up(total * rate, 1_000_000)
        return total, tax, total + tax


def parse_tariff(document: object) -> Tariff:
    """A Tariff from a document (a dict, as decoded from JSON); TariffError lists every problem by field."""
    ctx = Context()
    if not isinstance(document, dict):
        raise TariffError([problem("", gettext_noop("{value} is not a JSON object"), value=shown(document))])
    if "version" not in document:
        raise TariffError([problem("version", gettext_noop("is required"))])
    if document["version"] != VERSION or isinstance(document["version"], bool):
        raise TariffError(
            [
                problem(
                    "version",
                    gettext_noop("{value} is not supported (this engine reads version {expected})"),
                    value=shown(document["version"]),
                    expected=VERSION,
                )
            ]
        )
    kind = document.get("kind")
    if not isinstance(kind, str) or kind not in KINDS:
        if kind is None:
            raise TariffError([problem("kind", gettext_noop("is required"))])
        raise TariffError([problem("kind", _NOT_A_KIND, value=shown(kind), options=", ".join(KINDS))])
    # The currency first: whether an amount is over-precise depends on it.
    CurrencyCode().parse(document.get("currency"), "currency", ctx) if "currency" in document else None
    values = _document_obj(kind).parse(document, "", ctx)
    if values is INVALID or ctx.errors:
        raise TariffError(_unique(ctx.errors))
    zone = values["time_zone"]
    rules = KINDS[kind].build(values, ctx, "", zone is not None)
    groups: dict[str, GroupPrice] = {}
    for name, group in (values["groups"] or {}).items():
        nested = group["tariff"]
        if nested is None:
            groups[name] = GroupPrice(discount_percent=group["discount_percent"])
            continue
        nested_rules = KINDS[nested["kind"]].build(nested, ctx, f"groups.{name}.tariff", zone is not None)
        if nested_rules is not None:
            sub = Tariff(
                nested_rules,
                values["currency"],
                zone,
                values["name"],
                None,
                values["prices_include_vat"],
                values["vat_rate"],
            )
            groups[name] = GroupPrice(tariff=sub)
    if rules is None or ctx.errors:
        raise TariffError(_unique(ctx.errors))
    return Tariff(
        rules=rules,
        currency=values["currency"],
        time_zone=zone,
        name=values["name"],
        description=values["description"],
        prices_include_vat=values["prices_include_vat"],
        vat_rate=values["vat_rate"],
        groups=groups,
        schema_ref=values["$schema"],
    )


def load_tariff(text: str | bytes) -> Tariff:
    """A Tariff from JSON text; bad JSON, oversized or binary input is a TariffError too."""
    if len(text) > MAX_DOCUMENT_CHARS:
        raise TariffError(
            [problem("", gettext_noop("larger than {limit} characters"), limit=MAX_DOCUMENT_CHARS)]
        )
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise TariffError([problem("", gettext_noop("is not UTF-8 text"))]) from None
    try:
        # Decimal, not float: 0.1 in a document is exactly 0.1.
        document = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        # The JSON decoder's own reason (exc.msg) is English: the line and column say where to look.
        raise TariffError(
            [
                problem(
                    "",
                    gettext_noop("not valid JSON (line {line}, column {column}: {reason})"),
                    line=exc.lineno,
                    column=exc.colno,
                    reason=exc.msg,
                )
            ]
        ) from None
    except RecursionError:
        raise TariffError([problem("", gettext_noop("nested too deeply"))]) from None
    return parse_tariff(document)


def quote_document(
    document: object,
    start: datetime | str | None = None,
    end: datetime | str | None = None,
    group: str | None = None,
    *,
    stays: Iterable[tuple[datetime | str, datetime | str]] | None = None,
) -> Quote:
    """Parse a tariff document and quote a stay (or stays) with it, in one call (what the API needs)."""
    return parse_tariff(document).quote(start, end, stays=stays, group=group)


def _unique(errors: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(errors))


def document_schemas(defs: dict[str, Schema]) -> list[Schema]:
    """The schema of a document of each kind (used by schema.py)."""
    return [_document_obj(kind).schema(defs) for kind in KINDS]
