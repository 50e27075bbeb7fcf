"""Typed fields of tariff documents: one description that parses, dumps, and writes the JSON Schema.

Validation is written by hand (no schema library) so that every message names its field, e.g.
`bands[1].from: "25:00" is not a time of day`; the published schema is generated from the same fields.
"""

from __future__ import annotations

import json
import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import Problem, problem
from .money import CURRENCIES, Currency
from .spans import DAY, HOUR, MINUTE, SECOND
from .text import Arg, gettext_noop

Schema = dict[str, Any]
INVALID: Any = object()  # what a field returns after recording an error

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_MAX_AMOUNT = Decimal(1_000_000_000)


class Context:
    """Collects errors while parsing and knows the document's currency once it is read."""

    def __init__(self) -> None:
        self.errors: list[Problem] = []
        self.currency: Currency | None = None

    def error(self, path: str, message: str, **args: Arg) -> Any:
        """Records a problem: `message` is an English id marked with gettext_noop, `args` fill it in."""
        self.errors.append(problem(path, message, **args))
        return INVALID


def key_path(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def shown(raw: object) -> str:
    """A raw value as the user wrote it, for messages."""
    try:
        return json.dumps(raw, default=str, ensure_ascii=False)[:60]
    except (TypeError, ValueError):
        return repr(raw)[:60]


class Field(ABC):
    """A value in a document: parse() checks and converts, dump() writes it back, schema() describes it."""

    description = ""

    @abstractmethod
    def parse(self, raw: object, path: str, ctx: Context) -> Any:
        """The value of `raw` at `path`; a problem is recorded in `ctx` and INVALID returned."""

    def dump(self, value: Any, ctx: Context) -> Any:
        return value

    @abstractmethod
    def schema(self, defs: dict[str, Schema]) -> Schema:
        """The JSON Schema of the value (shared definitions go into `defs`)."""

    def _described(self, schema: Schema) -> Schema:
        if self.description:
            schema["description"] = self.description
        return schema


@dataclass
class Text(Field):
    description: str = ""
    max_length: int = 200

    def parse(self, raw: object, path: str, ctx: Context) -> Any:
        if not isinstance(raw, str):
            return ctx.error(path, gettext_noop("{value} is not a text"), value=shown(raw))
        if len(raw) > self.max_length:
            return ctx.error(path, gettext_noop("is longer than {limit} characters"), limit=self.max_length)
        return raw

    def schema(self, defs: dict[str, Schema]) -> Schema:
        return self._described({"type": "string", "maxLength": self.max_length})


@dataclass
class Const(Field):
    value: int | str
    description: str = ""
    message: str = ""  # a message id marked with gettext_noop; {expected} and {value} fill it in

    def parse(self, raw: object, path: str, ctx: Context) -> Any:
        if raw != self.value or isinstance(raw, bool):
            message = self.message or gettext_noop("must be {expected}, not {value}")
            return ctx.error(path, message, expected=shown(self.value), value=shown(raw))
        return raw

    def schema(self, defs: dict[str, Schema]) -> Schema:
        return self._described({"const": self.value})


@dataclass
class Choice(Field):
    options: tuple[str, ...]
    description: str = ""

    def parse(self, raw: object, path: str, ctx: Context) -> Any:
        if not isinstance(raw, str) or raw not in self.options:
            return ctx.error(
                path,
                gettext_noop("{value} is not one of {options}"),
                value=shown(raw),
                options=", ".join(self.options),
            )
        return raw

    def schema(self, defs: dict[str, Schema]) -> Schema:
        return self._described({"enum": list(self.options)})


@dataclass
class Flag(Field):
    description: str = ""

    def parse(self, raw: object, path: str, ctx: Context) -> Any:
        if not isinstance(raw, bool):
            return ctx.error(path, gettext_noop("{value} is not true or false"), value=shown(raw))
        return raw

    def schema(self, defs: dict[str, Schema]) -> Schema:
        return self._described({"type": "boolean"})


_DECIMAL = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")


def _decimal(raw: object, path: str, ctx: Context, not_one: str) -> Decimal | Any:
    """`not_one` is the whole message ("{value} is not an amount"): a translation cannot fill in a noun."""
    if isinstance(raw, bool) or not isinstance(raw, (str, int, float, Decimal)):
        return ctx.error(path, not_one, value=shown(raw))
    text = repr(raw) if isinstance(raw, float) else str(raw)
    if not _DECIMAL.match(text):
        return ctx.error(path, not_one, value=shown(raw))
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern already excludes it
        return ctx.error(path, not_one, value=shown(raw))


_DECIMAL_SCHEMA_PATTERN = "^[0-9]+(\\.[0-9]+)?$"


@dataclass
class Amount(Field):
    """An amount of money, at most as precise as the currency; parsed into integer minor units."""

    description: str = ""

    def parse(self, raw: object, path: str, ctx: Context) -> Any:
        value = _decimal(raw, path, ctx, gettext_noop("{value} is not an amount"))
        if value is INVALID:
            return INVALID
        if value < 0:
            return ctx.error(path, gettext_noop("{value} must not be negative"), value=shown(raw))
        if value > _MAX_AMOUNT:
            return ctx.error(path, gettext_noop("{value} is too large"), value=shown(raw))
        if ctx.currency is None:
            return INVALID  # the currency's own error is already reported
        exponent = ctx.currency.exponent
        if -value.as_tuple().exponent > exponent:  # type: ignore[operator]
            return ctx.error(
                path,
                gettext_noop("{value} has more decimals than {currency} allows ({decimals})"),
                value=shown(raw),
                currency=ctx.currency.code,
                decimals=exponent,
            )
        return int(value.scaleb(exponent))

    def dump(self, value: Any, ctx: Context) -> Any:
        assert ctx.currency is not None
        return f"{Decimal(value).scaleb(-ctx.currency.exponent):f}"

    def schema(self, defs: dict[str, Schema]) -> Schema:
        return self._described(
            {
                "type": ["string", "number"],
                "pattern": _DECIMAL_SCHEMA_PATTERN,
                "minimum": 0,
                "$comment": "Prefer strings: a JSON number may lose decimals on its way.",
            }
        )


@dataclass
class Percent(Field):
    """A percentage with up to 4 decimals, kept as a Decimal."""

    description: str = ""
    allow_zero: bool = False

    def parse(self, raw: object, path: str, ctx: Context) -> Any:
        value = _decimal(raw, path, ctx, gettext_noop("{value} is not a percentage"))
        if value is INVALID:
            return INVALID
        low_ok = value >= 0 if self.allow_zero else value > 0
        if not low_ok or value > 100:
            if self.allow_zero:
                return ctx.error(
                    path, gettext_noop("{value} must be from 0 and at most 100"), value=shown(raw)
                )
            return ctx.error(path, gettext_noop("{value} must be above 0 and at most 100"), value=shown(raw))
        if -value.as_tuple().exponent > 4:  # type: ignore[operator]
            return ctx.error(path, gettext_noop("{value} has more than 4 decimals"), value=shown(raw))
        return value

    def dump(self, value: Any, ctx: Context) -> Any:
        return f"{value:f}"

    def schema(self, defs: dict[str, Schema]) -> Schema:
        return self._described(
            {
                "type": ["string", "number"],
                "pattern": _DECIMAL_SCHEMA_PATTERN,
                "minimum": 0,
                "maximum": 100,
            }
        )


_DURATION = re.compile(r"^(?:([0-9]+)d)?(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+)s)?$")
_DURATION_UNITS = ((DAY, "d"), (HOUR, "h"), (MINUTE, "m"), (SECOND, "s"))


def format_duration(micros: int) -> str:
    """The canonical text of a duration: 90 minutes is "1h30m"."""
    if micros == 0:
        return "0m"
    parts = []
    for size, suffix in _DURATION_UNITS:
        count, micros = divmod(micros, size)
        if count:
            parts.append(f"{count}{suffix}")
    return "".join(parts)


@dataclass
class Duration(Field):
    """A length of time written like 15m, 1h, 1h30m, 90s or 2d; parsed into microseconds."""

    description: str = ""
    positive: bool = True
    maximum: int | None = None

    def parse(self, raw: object, path: str, ctx: Context) -> Any:
        match = _DURATION.match(raw) if isinstance(raw, str) else None
        if match is None or raw == "":
            return ctx.error(
                path,
                gettext_noop("{value} is not a duration (write it like 15m, 1h, 1h30m or 90s)"),
                value=shown(raw),
            )
        micros = sum(int(g) * size for g, (size, _) in zip(match.groups(), _DURATION_UNITS, strict=True) if g)
        if self.positive and micros == 0:
            return ctx.error(path, gettext_noop("{value} must be longer than zero"), value=shown(raw))
        if self.maximum is not None and micros > self.maximum:
            return ctx.error(
                path,
                gettext_noop("{value} must be at most {limit}"),
                value=shown(raw),
                limit=format_duration(self.maximum),
            )
        return micros

    def dump(self, value: Any, ctx: Context) -> Any:
        return format_duration(value)

    def schema(self, defs: dict[str, Schema]) -> Schema:
        return self._described(
            {"type": "string", "pattern": "^(?=.)([0-9]+d)?([0-9]+h)?([0-9]+m)?([0-9]+s)?$"}
        )


_TIME = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])$")


@dataclass
class TimeOfDay(Field):
    """A local wall time "HH:MM" ("24:00", the end of the day, only where allowed), in microseconds."""

    description: str = ""
    allow_end_of_day: bool = False

    def parse(self, raw: object, path: str, ctx: Context) -> Any:
        if self.allow_end_of_day and raw == "24:00":
            return DAY
        match = _TIME.match(raw) if isinstance(raw, str) else None
        if match is None:
            return ctx.error(path, gettext_noop("{value} is not a time of day"), value=shown(raw))
        return int(match.group(1)) * HOUR + int(match.group(2)) * MINUTE

    def dump(self, value: Any, ctx: Context) -> Any:
        hours, rest = divmod(value, HOUR)
        return f"{hours:02d}:{rest // MINUTE:02d}"

    def schema(self, defs: dict[str, Schema]) -> Schema:
        pattern = "^(([01][0-9]|2[0-3]):[0-5][0-9]" + ("|24:00)$" if self.allow_end_of_day else ")$")
        return self._described({"type": "string", "pattern": pattern})


@dataclass
class Weekdays(Field):
    """A list of weekdays ("mon" … "sun"), parsed into sorted weekday numbers (Monday = 0)."""

    description: str = ""

    def parse(self, raw: object, path: str, ctx: Context) -> Any:
        if not isinstance(raw, list) or not raw:
            return ctx.error(path, gettext_noop("{value} is not a list of weekdays"), value=shown(raw))
        days: set[int] = set()
        for i, item in enumerate(raw):
            if not isinstance(item, str) or item not in WEEKDAYS:
                return ctx.error(
                    f"{path}[{i}]",
                    gettext_noop("{value} is not a weekday ({options})"),
                    value=shown(item),
                    options=", ".join(WEEKDAYS),
                )
            if WEEKDAYS.index(item) in days:
                return ctx.error(f"{path}[{i}]", gettext_noop("{value} is listed twice"), value=shown(item))
            days.add(WEEKDAYS.index(item))
        return tuple(sorted(days))

    def dump(self, value: Any, ctx: Context) -> Any:
        return [WEEKDAYS[d] for d in value]

    def schema(self, defs: dict[str, Schema]) -> Schema:
        return self._described(
            {"type": "array", "items": {"enum": list(WEEKDAYS)}, "minItems": 1, "uniqueItems": True}
        )


@dataclass
class TimeZoneName(Field):
    description: str = ""

    def parse(self, raw: object, path: str, ctx: Context) -> Any:
        if not isinstance(raw, str) or not raw or len(raw) > 64:
            return ctx.error(path, gettext_noop("{value} is not a time zone name"), value=shown(raw))
        try:
            return ZoneInfo(raw)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            return ctx.error(
                path,
                gettext_noop("{value} is not a known IANA time zone (e.g. Europe/Paris)"),
                value=shown(raw),
            )

    def dump(self, value: Any, ctx: Context) -> Any:
        return value.key

    def schema(self, defs: dict[str, Schema]) -> Schema:
        return self._described({"type": "string", "minLength": 1, "maxLength": 64})


@dataclass
class CurrencyCode(Field):
    description: str = ""

    def parse(self, raw: object, path: str, ctx: Context) -> Any:
        if not isinstance(raw, str) or raw not in CURRENCIES:
            return ctx.error(
                path, gettext_noop("{value} is not a known ISO 4217 currency code"), value=shown(raw)
            )
        ctx.currency = CURRENCIES[raw]
        return ctx.currency

    def dump(self, value: Any, ctx: Context) -> Any:
        return value.code

    def schema(self, defs: dict[str, Schema]) -> Schema:
        return self._described({"enum": sorted(CURRENCIES)})


@dataclass
class ListOf(Field):
    item: Field
    description: str = ""
    min_items: int = 0
    max_items: int = 100

    def parse(self, raw: object, path: str, ctx: Context) -> Any:
        if not isinstance(raw, list):
            return ctx.error(path, gettext_noop("{value} is not a list"), value=shown(raw))
        if len(raw) < self.min_items:
            if self.min_items == 1:
                return ctx.error(path, gettext_noop("needs at least 1 item"))
            return ctx.error(path, gettext_noop("needs at least {limit} items"), limit=self.min_items)
        if len(raw) > self.max_items:
            return ctx.error(path, gettext_noop("has more than {limit} items"), limit=self.max_items)
        values = [self.item.parse(item, f"{path}[{i}]", ctx) for i, item in enumerate(raw)]
        return INVALID if any(v is INVALID for v in values) else values

    def dump(self, value: Any, ctx: Context) -> Any:
        return [self.item.dump(v, ctx) for v in value]

    def schema(self, defs: dict[str, Schema]) -> Schema:
        schema: Schema = {"type": "array", "items": self.item.schema(defs), "maxItems": self.max_items}
        if self.min_items:
            schema["minItems"] = self.min_items
        return self._described(schema)


@dataclass
class Prop:
    """A named member of an object: required, or optional with a default (None: absent)."""

    name: str
    field: Field
    required: bool = False
    default: Any = None


@dataclass
class Obj(Field):
    """A JSON object with known members only (a typo is an error, not silently ignored)."""

    props: tuple[Prop, ...]
    description: str = ""
    exactly_one: tuple[tuple[str, ...], ...] = ()
    title: str = ""
    name: str = ""  # when set, the schema is shared under $defs/<name>
    _by_name: dict[str, Prop] = field(init=False, repr=False, default_factory=dict)

    def __post_init__(self) -> None:
        self._by_name = {p.name: p for p in self.props}

    def parse(self, raw: object, path: str, ctx: Context) -> Any:
        if not isinstance(raw, dict):
            return ctx.error(path, gettext_noop("{value} is not an object"), value=shown(raw))
        ok = True
        for key in raw:
            if key not in self._by_name:
                ctx.error(key_path(path, str(key)), gettext_noop("unknown field"))
                ok = False
        values: dict[str, Any] = {}
        for prop in self.props:
            if prop.name in raw and raw[prop.name] is not None:
                value = prop.field.parse(raw[prop.name], key_path(path, prop.name), ctx)
                ok = ok and value is not INVALID
                values[prop.name] = value
            elif prop.required:
                ctx.error(key_path(path, prop.name), gettext_noop("is required"))
                ok = False
            else:
                values[prop.name] = prop.default
        for group in self.exactly_one:
            if sum(1 for name in group if name in raw and raw[name] is not None) != 1:
                ctx.error(path, gettext_noop("give exactly one of {options}"), options=", ".join(group))
                ok = False
        return values if ok else INVALID

    def dump(self, value: Any, ctx: Context) -> Any:
        out: dict[str, Any] = {}
        for prop in self.props:
            item = value.get(prop.name)
            if item is None or (not prop.required and item == prop.default):
                continue
            out[prop.name] = prop.field.dump(item, ctx)
        return out

    def schema(self, defs: dict[str, Schema]) -> Schema:
        schema: Schema = {"type": "object"}
        if self.title:
            schema["title"] = self.title
        schema["properties"] = {}
        for prop in self.props:
            member = prop.field.schema(defs)
            if prop.default is not None and not isinstance(prop.default, (tuple, Currency, ZoneInfo)):
                member = {**member, "default": prop.field.dump(prop.default, _SCHEMA_CTX)}
            schema["properties"][prop.name] = member
        required = [p.name for p in self.props if p.required]
        if required:
            schema["required"] = required
        schema["additionalProperties"] = False
        if self.exactly_one:
            alternatives = [{"oneOf": [{"required": [n]} for n in group]} for group in self.exactly_one]
            if len(alternatives) == 1:
                schema.update(alternatives[0])
            else:
                schema["allOf"] = alternatives
        schema = self._described(schema)
        if self.name:
            defs[self.name] = schema
            return {"$ref": f"#/$defs/{self.name}"}
        return schema


@dataclass
class MapOf(Field):
    """A JSON object whose keys are names chosen by the user (customer groups)."""

    value: Field
    description: str = ""
    max_items: int = 100

    def parse(self, raw: object, path: str, ctx: Context) -> Any:
        if not isinstance(raw, dict):
            return ctx.error(path, gettext_noop("{value} is not an object"), value=shown(raw))
        if len(raw) > self.max_items:
            return ctx.error(path, gettext_noop("has more than {limit} entries"), limit=self.max_items)
        values: dict[str, Any] = {}
        for key, item in raw.items():
            if not isinstance(key, str) or not key.strip() or len(key) > 100:
                ctx.error(path, gettext_noop("{value} is not a usable name"), value=shown(key))
                values[str(key)] = INVALID
                continue
            values[key] = self.value.parse(item, key_path(path, key), ctx)
        return INVALID if any(v is INVALID for v in values.values()) else values

    def dump(self, value: Any, ctx: Context) -> Any:
        return {k: self.value.dump(v, ctx) for k, v in value.items()}

    def schema(self, defs: dict[str, Schema]) -> Schema:
        return self._described(
            {
                "type": "object",
                "additionalProperties": self.value.schema(defs),
                "propertyNames": {"minLength": 1, "maxLength": 100},
                "maxProperties": self.max_items,
            }
        )


class _SchemaContext(Context):
    """Dumps defaults for the schema; amounts in defaults are never currency-dependent."""


_SCHEMA_CTX = _SchemaContext()
