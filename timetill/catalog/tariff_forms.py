"""Tariffs by form: a rate tariff's or Daily Time's rules as Django forms and formsets, turned into the tariff
document and back. Every bad value is refused at its field in the manager's words; the pricing engine checks
the document again, and what only it can see (overlapping bands, tiers out of order) is put back at the field.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from timetill.billing.explanations import text_in_language
from timetill.pricing.errors import Problem
from timetill.pricing.money import CURRENCIES
from timetill.pricing.text import Text

RATE, DAILY = "rate", "daily"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = {
    "mon": gettext_lazy("Monday"),
    "tue": gettext_lazy("Tuesday"),
    "wed": gettext_lazy("Wednesday"),
    "thu": gettext_lazy("Thursday"),
    "fri": gettext_lazy("Friday"),
    "sat": gettext_lazy("Saturday"),
    "sun": gettext_lazy("Sunday"),
}
DAY_SHORT = {
    "mon": gettext_lazy("Mon"),
    "tue": gettext_lazy("Tue"),
    "wed": gettext_lazy("Wed"),
    "thu": gettext_lazy("Thu"),
    "fri": gettext_lazy("Fri"),
    "sat": gettext_lazy("Sat"),
    "sun": gettext_lazy("Sun"),
}
ROUNDING = [
    ("up", gettext_lazy("A started unit counts")),
    ("nearest", gettext_lazy("A unit counts from half of it")),
    ("down", gettext_lazy("Only whole units count")),
]
GRACE_MODES = [
    ("threshold", gettext_lazy("Stays up to it are free; a longer one is charged in full")),
    ("deducted", gettext_lazy("It is never charged: charging starts after it")),
]
TOLERANCE_MODES = [
    ("deducted", gettext_lazy("Never charged: deducted from early and from late time")),
    ("threshold", gettext_lazy("Early (late) time up to it is free; beyond it, all of it is charged")),
]
PRICE_PER = [("unit", gettext_lazy("per unit")), ("hour", gettext_lazy("per hour"))]
PRECEDENCE = [
    ("band", gettext_lazy("The band's price")),
    ("lowest", gettext_lazy("The lower of the two")),
    ("highest", gettext_lazy("The higher of the two")),
]
GROUP_HOW = [("discount", gettext_lazy("A discount")), ("tariff", gettext_lazy("A tariff of its own (JSON)"))]
DECIMALS_IN_WORDS = {
    0: gettext_lazy("Prices in {currency} have no decimals."),
    1: gettext_lazy("Prices have at most one decimal."),
    2: gettext_lazy("Prices have at most two decimals."),
    3: gettext_lazy("Prices have at most three decimals."),
}
HOUR_MICROS = 3_600_000_000
DAY_MICROS = 24 * HOUR_MICROS
MAX_ROWS = 50

# -- fields -----------------------------------------------------------------------------------------------

_DURATION = re.compile(r"^(?:(\d{1,5})d)?(?:(\d{1,6})h)?(?:(\d{1,7})m(?:in)?)?(?:(\d{1,8})s)?$")
_CLOCK = re.compile(r"^(\d{1,2})(?:[:h](\d{2}))?$")


def duration_micros(text: str) -> int:
    """The length of a canonical duration text ("1h30m")."""
    match = _DURATION.match(text)
    assert match is not None
    sizes = (DAY_MICROS, HOUR_MICROS, 60_000_000, 1_000_000)
    return sum(int(g) * size for g, size in zip(match.groups(), sizes, strict=True) if g)


def duration_text(micros: int) -> str:
    """The document's spelling of a length: 90 minutes is "1h30m" (as the engine writes it)."""
    if micros == 0:
        return "0m"
    parts = []
    for size, suffix in ((DAY_MICROS, "d"), (HOUR_MICROS, "h"), (60_000_000, "m"), (1_000_000, "s")):
        count, micros = divmod(micros, size)
        if count:
            parts.append(f"{count}{suffix}")
    return "".join(parts)


class DurationField(forms.CharField):
    """A length of time typed as 15m, 1h, 1h30m, 90s, 2d, minutes alone (80) or h:mm (1:20); cleaned into the
    document's spelling ("1h20m")."""

    def __init__(self, *, allow_zero: bool = False, maximum: int | None = None, **kwargs: Any) -> None:
        self.allow_zero, self.maximum = allow_zero, maximum
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"autocomplete": "off", "size": "7", "placeholder": "15m"})
        )
        super().__init__(**kwargs)

    def to_python(self, value: object) -> str:
        text = str(super().to_python(value) or "").strip().lower().replace(" ", "")
        if not text:
            return ""
        if text.startswith("-"):
            raise ValidationError(_("A duration cannot be negative."), code="negative")
        if re.fullmatch(r"\d{1,7}", text):
            micros = int(text) * 60_000_000
        elif match := re.fullmatch(r"(\d{1,5}):(\d{2})", text):
            if int(match[2]) >= 60:
                raise ValidationError(_("Minutes after the hours go up to 59."), code="minutes")
            micros = (int(match[1]) * 60 + int(match[2])) * 60_000_000
        elif text and _DURATION.match(text):
            micros = duration_micros(text)
        else:
            raise ValidationError(_("Write a duration like 15m, 1h, 1h30m or 90s."), code="invalid")
        if micros == 0 and not self.allow_zero:
            raise ValidationError(_("A duration must be longer than zero."), code="zero")
        if self.maximum is not None and micros > self.maximum:
            limit = duration_text(self.maximum)
            raise ValidationError(_("At most {limit}.").format(limit=limit), code="too_long")
        return duration_text(micros)


class ClockField(forms.CharField):
    """A local time of day, HH:MM (8:00 and 8h00 are read too); 24:00, the end of a day, where allowed."""

    def __init__(self, *, end_of_day: bool = False, **kwargs: Any) -> None:
        self.end_of_day = end_of_day
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"autocomplete": "off", "size": "5", "inputmode": "numeric", "placeholder": "08:00"}
            ),
        )
        super().__init__(**kwargs)

    def to_python(self, value: object) -> str:
        text = str(super().to_python(value) or "").strip().lower()
        if not text:
            return ""
        match = _CLOCK.match(text)
        hours, minutes = (int(match[1]), int(match[2] or 0)) if match else (99, 0)
        if self.end_of_day and (hours, minutes) == (24, 0):
            return "24:00"
        if hours > 23 or minutes > 59:
            if self.end_of_day:
                message = _("Write a time of day like 08:00 (24:00 for midnight at the end of the day).")
            else:
                message = _("Write a time of day like 08:00.")
            raise ValidationError(message, code="invalid")
        return f"{hours:02d}:{minutes:02d}"


def clock_micros(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * HOUR_MICROS + int(minutes) * 60_000_000


class MoneyField(forms.DecimalField):
    """A price as typed at a French desk too ("1,50" is 1.50); its decimals are checked against the
    tariff's currency by the editor, which knows it."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_digits", 16)
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": "8"}),
        )
        super().__init__(**kwargs)
        self.error_messages["invalid"] = _("Write an amount like 2.50.")
        self.error_messages["max_digits"] = _("This amount is too large.")
        self.error_messages["max_whole_digits"] = _("This amount is too large.")
        self.error_messages["max_decimal_places"] = _("This amount has too many decimals.")

    def to_python(self, value: object) -> Decimal | None:
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)

    def validate(self, value: Decimal | None) -> None:
        super().validate(value)
        if value is not None and value < 0:
            raise ValidationError(_("A price cannot be negative."), code="negative")


def _choice(choices: list, initial: str, label: str) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=choices, initial=initial, required=False)


def _text(label: str, max_length: int = 80, **attrs: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        widget=forms.TextInput(attrs={"autocomplete": "off", **attrs}),
    )


def _amount_text(value: Decimal) -> str:
    return format(value, "f")


def _amount_of(text: object) -> Decimal | None:
    return None if text is None else Decimal(str(text))


# -- the forms ----------------------------------------------------------------------------------------------


class HeadForm(forms.Form):
    """What every tariff document has besides its rules: its name, currency and time zone."""

    name = _text(gettext_lazy("Name on explanations"), 200)
    currency = forms.CharField(
        label=gettext_lazy("Currency"),
        required=False,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "off", "size": "4", "placeholder": "EUR"}),
    )
    time_zone = forms.CharField(
        label=gettext_lazy("Time zone"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "Europe/Paris"}),
        help_text=gettext_lazy("Bands and days are in its local time."),
    )
    description = forms.CharField(
        label=gettext_lazy("Notes for staff"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    schema_ref = forms.CharField(required=False, max_length=300, widget=forms.HiddenInput)

    def __init__(self, *args: Any, daily: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.daily = daily

    def clean_currency(self) -> str:
        code = (self.cleaned_data.get("currency") or "").strip().upper()
        if not code:
            raise ValidationError(_("Give the currency of the prices, such as EUR."))
        if code not in CURRENCIES:
            raise ValidationError(_("“{code}” is not a currency code, such as EUR.").format(code=code[:8]))
        return code

    def clean_time_zone(self) -> str:
        name = (self.cleaned_data.get("time_zone") or "").strip()
        if not name:
            if self.daily:
                raise ValidationError(_("Give the time zone of the included hours, such as Europe/Paris."))
            return ""
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            raise ValidationError(
                _("“{name}” is not a time zone: write one such as Europe/Paris.").format(name=name[:64])
            ) from None
        return name


class RateForm(forms.Form):
    """A rate tariff's rules, but its tiers, bands and groups (formsets of their own)."""

    unit = DurationField(
        label=gettext_lazy("Billing unit"),
        maximum=DAY_MICROS,
        help_text=gettext_lazy("15m, 1h, 1m…: time is charged in units of this length."),
    )
    rounding = _choice(ROUNDING, "up", gettext_lazy("The last, started unit"))
    price = MoneyField(label=gettext_lazy("Price"))
    price_per = _choice(PRICE_PER, "unit", gettext_lazy("Price is"))
    grace = DurationField(
        label=gettext_lazy("Grace period"),
        maximum=DAY_MICROS - 60_000_000,
        help_text=gettext_lazy("Empty: no grace period."),
    )
    grace_mode = _choice(GRACE_MODES, "threshold", gettext_lazy("Grace period works as"))
    block_duration = DurationField(
        label=gettext_lazy("First block"),
        maximum=DAY_MICROS,
        help_text=gettext_lazy("Charged whole, even for a shorter stay (e.g. the first hour). Empty: none."),
    )
    block_price = MoneyField(label=gettext_lazy("First block's price"))
    block_label = _text(gettext_lazy("First block's label"), placeholder=gettext_lazy("First hour"))
    tiers_restart = forms.BooleanField(
        label=gettext_lazy("Time spent counts again from zero in each 24 hours"), required=False
    )
    band_precedence = _choice(PRECEDENCE, "band", gettext_lazy("When a band and a tier both apply"))
    cap = MoneyField(label=gettext_lazy("Cap per 24 hours"), help_text=gettext_lazy("Counted from entry."))
    maximum = MoneyField(label=gettext_lazy("Maximum per stay"))
    minimum = MoneyField(
        label=gettext_lazy("Minimum charge"), help_text=gettext_lazy("For a stay that is charged at all.")
    )
    money_fields = ("price", "block_price", "cap", "maximum", "minimum")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("unit") and "unit" not in self.errors:
            self.add_error("unit", _("Give the billing unit, such as 15m."))
        if data.get("price") is None and "price" not in self.errors:
            self.add_error("price", _("Give the price of a unit or of an hour."))
        has_block, has_block_price = bool(data.get("block_duration")), data.get("block_price") is not None
        if has_block and not has_block_price and "block_price" not in self.errors:
            self.add_error("block_price", _("Give the first block's price, or leave its length empty."))
        if has_block_price and not has_block and "block_duration" not in self.errors:
            self.add_error("block_duration", _("Give the first block's length, or leave its price empty."))
        minimum, maximum, cap = data.get("minimum"), data.get("maximum"), data.get("cap")
        if minimum is not None and maximum is not None and minimum > maximum:
            self.add_error("minimum", _("The minimum charge is more than the maximum per stay."))
        elif minimum is not None and cap is not None and minimum > cap:
            self.add_error("minimum", _("The minimum charge is more than the cap per 24 hours."))
        return data


class RowForm(forms.Form):
    """A row of a formset: a row left blank is no row (and is not checked)."""

    used_fields: tuple[str, ...] = ()

    def is_blank(self) -> bool:
        # What was typed, not what cleaned: a row with only a wrong value is not blank, it is wrong.
        return not any(str(self.data.get(self.add_prefix(name)) or "").strip() for name in self.used_fields)

    def full_clean(self) -> None:
        super().full_clean()
        if self.is_bound and self.is_blank() and not self.cleaned_data.get("DELETE"):
            self._errors = forms.utils.ErrorDict()  # a blank row says nothing


class TierForm(RowForm):
    after = DurationField(label=gettext_lazy("After"), help_text=gettext_lazy("Time spent since entry."))
    price = MoneyField(label=gettext_lazy("Price"))
    price_per = _choice(PRICE_PER, "hour", gettext_lazy("Price is"))
    label = _text(gettext_lazy("Label"))
    used_fields = ("after", "price", "label")
    money_fields = ("price",)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.is_blank():
            return data
        if not data.get("after") and "after" not in self.errors:
            self.add_error("after", _("Give the time spent from which this price applies."))
        if data.get("price") is None and "price" not in self.errors:
            self.add_error("price", _("Give this tier's price."))
        return data


class BandForm(RowForm):
    name = _text(gettext_lazy("Name"), placeholder=gettext_lazy("Night"))
    days = forms.MultipleChoiceField(
        label=gettext_lazy("Days"),
        choices=list(DAY_SHORT.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "day-box"}),
    )
    # A band's hours, not a span of dates: "From/To" in French would read "Du/Au" (days).
    start = ClockField(label=pgettext_lazy("start of a band of hours", "From"))
    end = ClockField(label=pgettext_lazy("end of a band of hours", "To"), end_of_day=True)
    price = MoneyField(label=gettext_lazy("Price"))
    price_per = _choice(PRICE_PER, "unit", gettext_lazy("Price is"))
    used_fields = ("name", "start", "end", "price")
    money_fields = ("price",)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.is_blank():
            return data
        if not data.get("days") and "days" not in self.errors:
            self.add_error("days", _("Tick the days on which the band starts."))
        for name, message in (
            ("start", _("Give the time the band starts.")),
            ("end", _("Give the time the band ends.")),
        ):
            if not data.get(name) and name not in self.errors:
                self.add_error(name, message)
        if data.get("price") is None and "price" not in self.errors:
            self.add_error("price", _("Give the band's price."))
        if data.get("start") and data.get("start") == data.get("end"):
            self.add_error("end", _("A band ends at another time than it starts (00:00 to 24:00: all day)."))
        return data


class GroupForm(RowForm):
    name = _text(gettext_lazy("Customer group"), 100, list="preview-groups")
    how = _choice(GROUP_HOW, "discount", gettext_lazy("Their price"))
    discount_percent = forms.DecimalField(
        label=gettext_lazy("Discount (%)"),
        required=False,
        max_digits=8,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": "5"}),
    )
    tariff = forms.CharField(
        label=gettext_lazy("Their tariff (JSON: a kind and its rules)"),
        required=False,
        strip=False,
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false", "class": "code-input"}),
    )
    used_fields = ("name", "discount_percent", "tariff")

    def clean_discount_percent(self) -> Decimal | None:
        value = self.cleaned_data.get("discount_percent")
        if value is not None:
            if not 0 < value <= 100:
                raise ValidationError(_("A discount is above 0 % and at most 100 %."))
            if value != value.quantize(Decimal("0.0001")):
                raise ValidationError(_("A discount has at most 4 decimals."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.is_blank():
            return data
        if not (data.get("name") or "").strip():
            self.add_error("name", _("Give the customer group's name."))
        if data.get("how") == "tariff":
            try:
                nested = json.loads(data.get("tariff") or "", parse_float=Decimal)
            except ValueError:
                self.add_error("tariff", _("Write the group's tariff as a JSON object with its kind."))
            else:
                if not isinstance(nested, dict) or "kind" not in nested:
                    self.add_error("tariff", _("Write the group's tariff as a JSON object with its kind."))
                else:
                    data["nested"] = nested
        elif data.get("discount_percent") is None and "discount_percent" not in self.errors:
            self.add_error("discount_percent", _("Give the discount in percent."))
        return data


class DailyForm(forms.Form):
    """Daily Time's rules: a week grid of included hours, early and late prices, unit, tolerance."""

    unit = DurationField(label=gettext_lazy("Billing unit"), maximum=DAY_MICROS)
    rounding = _choice(ROUNDING, "up", gettext_lazy("The last, started unit"))
    early = MoneyField(label=gettext_lazy("Early arrival, per unit"))
    late = MoneyField(label=gettext_lazy("Late departure, per unit"))
    tolerance = DurationField(
        label=gettext_lazy("Tolerance"),
        allow_zero=True,
        maximum=DAY_MICROS,
        help_text=gettext_lazy("Applied to early time and to late time separately. Empty: none."),
    )
    tolerance_mode = _choice(TOLERANCE_MODES, "deducted", gettext_lazy("Tolerance works as"))
    unplanned_day = MoneyField(
        label=gettext_lazy("Unplanned day"),
        help_text=gettext_lazy("A day of attendance on a day that is not included. Empty: free."),
    )
    money_fields = ("early", "late", "unplanned_day")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for day in WEEKDAYS:
            self.fields[f"{day}_on"] = forms.BooleanField(
                label=DAY_NAMES[day], required=False, widget=forms.CheckboxInput(attrs={"data-day-on": day})
            )
            self.fields[f"{day}_from"] = ClockField(
                label=_("{day}: from").format(day=DAY_NAMES[day]),
                widget=forms.TextInput(
                    attrs={"autocomplete": "off", "size": "5", "placeholder": "08:00", "data-day-from": day}
                ),
            )
            self.fields[f"{day}_to"] = ClockField(
                label=_("{day}: to").format(day=DAY_NAMES[day]),
                end_of_day=True,
                widget=forms.TextInput(
                    attrs={"autocomplete": "off", "size": "5", "placeholder": "16:00", "data-day-to": day}
                ),
            )

    def week(self) -> list[dict[str, Any]]:
        """The grid's rows, for the template."""
        return [
            {
                "day": day,
                "name": DAY_NAMES[day],
                "short": DAY_SHORT[day],
                "on": self[f"{day}_on"],
                "start": self[f"{day}_from"],
                "end": self[f"{day}_to"],
            }
            for day in WEEKDAYS
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name, message in (
            ("unit", _("Give the billing unit, such as 15m.")),
            ("early", _("Give the price of a unit of early arrival.")),
            ("late", _("Give the price of a unit of late departure.")),
        ):
            if data.get(name) in (None, "") and name not in self.errors:
                self.add_error(name, message)
        for day in WEEKDAYS:
            if not data.get(f"{day}_on"):
                continue
            start, end = data.get(f"{day}_from"), data.get(f"{day}_to")
            missing = _("Give {day}'s included hours, or untick it.").format(day=DAY_NAMES[day])
            if not start and f"{day}_from" not in self.errors:
                self.add_error(f"{day}_from", missing)
            if not end and f"{day}_to" not in self.errors:
                self.add_error(f"{day}_to", missing)
            if start and end and clock_micros(end) <= clock_micros(start):
                self.add_error(
                    f"{day}_to", _("The included hours end after they start ({start}).").format(start=start)
                )
        if not any(data.get(f"{day}_on") for day in WEEKDAYS) and not self.errors:
            self.add_error(None, _("Tick at least one included day."))
        return data


def _formset(form: type[forms.Form]) -> type[forms.BaseFormSet]:
    return forms.formset_factory(form, extra=0, can_delete=True, max_num=MAX_ROWS, absolute_max=MAX_ROWS + 10)


TierFormSet, BandFormSet, GroupFormSet = _formset(TierForm), _formset(BandForm), _formset(GroupForm)


# -- the editor: forms <-> document -------------------------------------------------------------------------


class TariffEditor:
    """Every form of one tariff's editor, bound to posted data (or to a document's, see data_of)."""

    prefix = "t"

    def __init__(self, kind: str, data: Any) -> None:
        self.kind = kind
        self.head = HeadForm(data, prefix=self.prefix, daily=kind == DAILY)
        self.tiers = self.bands = None
        if kind == RATE:
            self.rules: forms.Form = RateForm(data, prefix=self.prefix)
            self.tiers = TierFormSet(data, prefix="tiers")
            self.bands = BandFormSet(data, prefix="bands")
        else:
            self.rules = DailyForm(data, prefix=self.prefix)
        self.groups = GroupFormSet(data, prefix="groups")
        # document path prefix -> (form, {document member: form field}), filled by document()
        self._rows: dict[str, forms.Form] = {}

    @property
    def formsets(self) -> list[forms.BaseFormSet]:
        return [fs for fs in (self.tiers, self.bands, self.groups) if fs is not None]

    @property
    def forms(self) -> list[forms.Form]:
        return [self.head, self.rules] + [f for fs in self.formsets for f in fs.forms]

    def is_valid(self) -> bool:
        valid = all([self.head.is_valid(), self.rules.is_valid()] + [fs.is_valid() for fs in self.formsets])
        return self._check_decimals() and valid

    def _check_decimals(self) -> bool:
        """Prices to the currency's minor unit: "7.505" in EUR is refused at its field."""
        code = self.head.cleaned_data.get("currency") if self.head.is_valid() else None
        currency = CURRENCIES.get(code or "")
        if currency is None:
            return True
        ok = True
        message = str(DECIMALS_IN_WORDS.get(currency.exponent, DECIMALS_IN_WORDS[3])).format(
            currency=currency.code
        )
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            for name in getattr(form, "money_fields", ()):
                value = data.get(name)
                if value is not None and -value.as_tuple().exponent > currency.exponent:
                    form.add_error(name, message)
                    ok = False
        return ok

    def _rows_of(self, formset: forms.BaseFormSet | None) -> list[forms.Form]:
        if formset is None:
            return []
        return [f for f in formset.forms if not f.cleaned_data.get("DELETE") and not f.is_blank()]

    def document(self) -> dict[str, Any]:
        """The tariff document the forms say (call after is_valid())."""
        head = self.head.cleaned_data
        doc: dict[str, Any] = {"version": 1, "kind": self.kind}
        if head.get("schema_ref"):
            doc = {"$schema": head["schema_ref"], **doc}
        if head.get("name"):
            doc["name"] = head["name"]
        if head.get("description"):
            doc["description"] = head["description"]
        doc["currency"] = head["currency"]
        if head.get("time_zone"):
            doc["time_zone"] = head["time_zone"]
        groups = {}
        for i, row in enumerate(self._rows_of(self.groups)):
            data = row.cleaned_data
            name = data["name"].strip()
            self._rows[f"groups.{name}"] = row
            self._rows[f"group#{i}"] = row
            if data.get("how") == "tariff":
                groups[name] = {"tariff": data["nested"]}
            else:
                groups[name] = {"discount_percent": _amount_text(data["discount_percent"])}
        if groups:
            doc["groups"] = groups
        rules = self._rate_rules() if self.kind == RATE else self._daily_rules()
        return {**doc, **rules}

    def _rate_rules(self) -> dict[str, Any]:
        data = self.rules.cleaned_data
        rules: dict[str, Any] = {"unit": data["unit"]}
        if data.get("rounding") not in ("", "up"):
            rules["rounding"] = data["rounding"]
        if data.get("grace"):
            rules["grace"] = {"duration": data["grace"]}
            if data.get("grace_mode") == "deducted":
                rules["grace"]["mode"] = "deducted"
        if data.get("block_duration"):
            block = {"duration": data["block_duration"], "price": _amount_text(data["block_price"])}
            if data.get("block_label"):
                block["label"] = data["block_label"]
            rules["first_block"] = block
        rules["per_hour" if data.get("price_per") == "hour" else "per_unit"] = _amount_text(data["price"])
        tiers = []
        for i, row in enumerate(self._rows_of(self.tiers)):
            self._rows[f"tiers[{i}]"] = row
            tier = row.cleaned_data
            item: dict[str, Any] = {"after": tier["after"]}
            item["per_unit" if tier.get("price_per") == "unit" else "per_hour"] = _amount_text(tier["price"])
            if tier.get("label"):
                item["label"] = tier["label"]
            tiers.append(item)
        if tiers:
            rules["tiers"] = tiers
        if data.get("tiers_restart"):
            rules["tiers_restart_every_24h"] = True
        bands = []
        for i, row in enumerate(self._rows_of(self.bands)):
            self._rows[f"bands[{i}]"] = row
            band = row.cleaned_data
            item = {}
            if band.get("name"):
                item["name"] = band["name"]
            days = [d for d in WEEKDAYS if d in band["days"]]
            if len(days) < 7:
                item["days"] = days
            item["from"], item["to"] = band["start"], band["end"]
            item["per_hour" if band.get("price_per") == "hour" else "per_unit"] = _amount_text(band["price"])
            bands.append(item)
        if bands:
            rules["bands"] = bands
        if data.get("band_precedence") not in ("", "band"):
            rules["band_precedence"] = data["band_precedence"]
        for field, member in (("cap", "cap_per_24h"), ("maximum", "max_per_stay"), ("minimum", "minimum")):
            if data.get(field) is not None:
                rules[member] = _amount_text(data[field])
        return rules

    def _daily_rules(self) -> dict[str, Any]:
        data = self.rules.cleaned_data
        included = {
            day: {"from": data[f"{day}_from"], "to": data[f"{day}_to"]}
            for day in WEEKDAYS
            if data.get(f"{day}_on")
        }
        rules: dict[str, Any] = {"included": included, "unit": data["unit"]}
        if data.get("rounding") not in ("", "up"):
            rules["rounding"] = data["rounding"]
        rules["early_per_unit"] = _amount_text(data["early"])
        rules["late_per_unit"] = _amount_text(data["late"])
        if data.get("tolerance") and data["tolerance"] != "0m":
            rules["tolerance"] = data["tolerance"]
        if data.get("tolerance_mode") == "threshold":
            rules["tolerance_mode"] = "threshold"
        if data.get("unplanned_day") is not None:
            rules["unplanned_day"] = _amount_text(data["unplanned_day"])
        return rules

    # -- the engine's messages, back at their field --------------------------------------------------------

    def place(self, problems: list[Problem]) -> list[str]:
        """Put each engine error ('bands[1]: overlaps bands[0] (sun from 07:00)') at its field; returns the
        ones that name no field of the form ('path: message', in the active language)."""
        rest = []
        for path, message in problems:
            if not self._place(path, message):
                rest.append(f"{path}: {text_in_language(message)}")
        return rest

    def _place_group(self, path: str, message: Text) -> bool:
        for key, row in self._rows.items():
            if not key.startswith("groups.") or not (path == key or path.startswith(key + ".")):
                continue
            inside = path[len(key) + 1 :]
            if inside == "discount_percent":
                row.add_error("discount_percent", _in_words(message))
            elif inside.startswith("tariff"):
                # Inside the group's own JSON: say where, as the JSON tab does.
                where = inside[len("tariff") :].lstrip(".") or _("the tariff")
                row.add_error("tariff", f"{where}: {text_in_language(message)}")
            else:
                row.add_error("name", _in_words(message))
            return True
        return False

    def _place(self, path: str, message: Text) -> bool:
        if match := re.fullmatch(r"(tiers|bands)\[(\d+)\](?:\.(\w+))?", path):
            row = self._rows.get(f"{match[1]}[{match[2]}]")
            if row is None:
                return False
            field = {"from": "start", "to": "end", "per_unit": "price", "per_hour": "price"}.get(
                match[3] or "", match[3]
            )
            row.add_error(field if field in row.fields else None, _in_words(message))
            return True
        if path.startswith("groups."):
            return self._place_group(path, message)
        head = {
            "currency": "currency",
            "time_zone": "time_zone",
            "name": "name",
            "description": "description",
        }
        if path in head:
            self.head.add_error(head[path], _in_words(message))
            return True
        members = {
            "unit": "unit",
            "rounding": "rounding",
            "per_unit": "price",
            "per_hour": "price",
            "grace.duration": "grace",
            "grace.mode": "grace_mode",
            "first_block.duration": "block_duration",
            "first_block.price": "block_price",
            "first_block.label": "block_label",
            "cap_per_24h": "cap",
            "max_per_stay": "maximum",
            "minimum": "minimum",
            "band_precedence": "band_precedence",
            "early_per_unit": "early",
            "late_per_unit": "late",
            "tolerance": "tolerance",
            "tolerance_mode": "tolerance_mode",
            "unplanned_day": "unplanned_day",
        }
        if match := re.fullmatch(r"included\.(\w+)\.(from|to)", path):
            members[path] = f"{match[1]}_{match[2]}"
        field = members.get(path)
        if field is None or field not in self.rules.fields:
            return False
        self.rules.add_error(field, _in_words(message))
        return True


_ENGINE_WORDS = [
    (re.compile(r"^overlaps bands\[(\d+)\] \((\w+) from (\d\d:\d\d)\)$"), "overlap"),
    (re.compile(r"^must be later than the tier before it$"), "tier_order"),
    (re.compile(r"^must be under 24h when tiers restart every 24 h$"), "tier_restart"),
    (re.compile(r"^with the grace period, must fit in the first 24 hours$"), "block_grace"),
    (re.compile(r"^is required: bands are in local time$"), "zone_bands"),
]


def _in_words(text: Text) -> str:
    """An engine message ("must be later than the tier before it") as a sentence for the manager."""
    for pattern, what in _ENGINE_WORDS:
        match = pattern.match(str(text))  # the engine's English, whatever language the page speaks
        if match is None:
            continue
        if what == "overlap":
            day = DAY_NAMES.get(match[2], match[2])
            return _("Overlaps band {n} on {day} from {at}: a time has one price only.").format(
                n=int(match[1]) + 1, day=day, at=match[3]
            )
        if what == "tier_order":
            return _("Must be later than the tier above it.")
        if what == "tier_restart":
            return _("Must be under 24 hours when tiers count again each 24 hours.")
        if what == "block_grace":
            return _("With the grace period, the first block must fit in the first 24 hours.")
        if what == "zone_bands":
            return _("Give the time zone: bands are in local time.")
    message = text_in_language(text)
    return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")


def data_of(kind: str, document: dict[str, Any]) -> dict[str, Any]:
    """The posted data that shows a (valid, canonical) document in the forms: the editor bound to it gives
    the document back."""
    p = TariffEditor.prefix
    data: dict[str, Any] = {
        f"{p}-name": document.get("name") or "",
        f"{p}-description": document.get("description") or "",
        f"{p}-currency": document.get("currency") or "",
        f"{p}-time_zone": document.get("time_zone") or "",
        f"{p}-schema_ref": document.get("$schema") or "",
    }
    groups = list((document.get("groups") or {}).items())
    _management(data, "groups", len(groups))
    for i, (name, group) in enumerate(groups):
        row = f"groups-{i}"
        data[f"{row}-name"] = name
        if group.get("tariff") is not None:
            data[f"{row}-how"] = "tariff"
            data[f"{row}-tariff"] = json.dumps(group["tariff"], indent=2, ensure_ascii=False)
        else:
            data[f"{row}-how"] = "discount"
            data[f"{row}-discount_percent"] = str(group.get("discount_percent"))
    if kind == RATE:
        _rate_data(data, document)
    else:
        _daily_data(data, document)
    return data


def _management(data: dict[str, Any], prefix: str, total: int) -> None:
    data[f"{prefix}-TOTAL_FORMS"] = str(total)
    data[f"{prefix}-INITIAL_FORMS"] = "0"
    data[f"{prefix}-MIN_NUM_FORMS"] = "0"
    data[f"{prefix}-MAX_NUM_FORMS"] = str(MAX_ROWS)


def _price_data(item: dict[str, Any], default_per: str) -> tuple[str, str]:
    if item.get("per_hour") is not None:
        return str(item["per_hour"]), "hour"
    if item.get("per_unit") is not None:
        return str(item["per_unit"]), "unit"
    return "", default_per


def _rate_data(data: dict[str, Any], doc: dict[str, Any]) -> None:
    p = TariffEditor.prefix
    price, per = _price_data(doc, "unit")
    grace = doc.get("grace") or {}
    block = doc.get("first_block") or {}
    data |= {
        f"{p}-unit": doc.get("unit") or "",
        f"{p}-rounding": doc.get("rounding") or "up",
        f"{p}-price": price,
        f"{p}-price_per": per,
        f"{p}-grace": grace.get("duration") or "",
        f"{p}-grace_mode": grace.get("mode") or "threshold",
        f"{p}-block_duration": block.get("duration") or "",
        f"{p}-block_price": "" if block.get("price") is None else str(block["price"]),
        f"{p}-block_label": block.get("label") or "",
        f"{p}-band_precedence": doc.get("band_precedence") or "band",
        f"{p}-cap": "" if doc.get("cap_per_24h") is None else str(doc["cap_per_24h"]),
        f"{p}-maximum": "" if doc.get("max_per_stay") is None else str(doc["max_per_stay"]),
        f"{p}-minimum": "" if doc.get("minimum") is None else str(doc["minimum"]),
    }
    if doc.get("tiers_restart_every_24h"):
        data[f"{p}-tiers_restart"] = "on"
    tiers, bands = doc.get("tiers") or [], doc.get("bands") or []
    _management(data, "tiers", len(tiers))
    for i, tier in enumerate(tiers):
        price, per = _price_data(tier, "hour")
        data |= {
            f"tiers-{i}-after": tier.get("after") or "",
            f"tiers-{i}-price": price,
            f"tiers-{i}-price_per": per,
            f"tiers-{i}-label": tier.get("label") or "",
        }
    _management(data, "bands", len(bands))
    for i, band in enumerate(bands):
        price, per = _price_data(band, "unit")
        data |= {
            f"bands-{i}-name": band.get("name") or "",
            f"bands-{i}-days": list(band.get("days") or WEEKDAYS),
            f"bands-{i}-start": band.get("from") or "",
            f"bands-{i}-end": band.get("to") or "",
            f"bands-{i}-price": price,
            f"bands-{i}-price_per": per,
        }


def _daily_data(data: dict[str, Any], doc: dict[str, Any]) -> None:
    p = TariffEditor.prefix
    included = doc.get("included") or {}
    for day in WEEKDAYS:
        window = included.get(day)
        if window:
            data[f"{p}-{day}_on"] = "on"
            data[f"{p}-{day}_from"] = window.get("from") or ""
            data[f"{p}-{day}_to"] = window.get("to") or ""
    data |= {
        f"{p}-unit": doc.get("unit") or "",
        f"{p}-rounding": doc.get("rounding") or "up",
        f"{p}-early": "" if doc.get("early_per_unit") is None else str(doc["early_per_unit"]),
        f"{p}-late": "" if doc.get("late_per_unit") is None else str(doc["late_per_unit"]),
        f"{p}-tolerance": doc.get("tolerance") or "",
        f"{p}-tolerance_mode": doc.get("tolerance_mode") or "deducted",
        f"{p}-unplanned_day": "" if doc.get("unplanned_day") is None else str(doc["unplanned_day"]),
    }


def as_query_dict(data: dict[str, Any]) -> Any:
    """The data as a QueryDict (lists become repeated keys), what a bound form reads like a POST."""
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    for key, value in data.items():
        if isinstance(value, list):
            query.setlist(key, value)
        else:
            query[key] = value
    return query
