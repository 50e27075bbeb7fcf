"""Forms of the catalogue pages: a product, its ladder steps, a tariff preview, a tariff import, site choices.

They only parse what was typed; the rules (names, prices, steps, tariffs) are checked by the services, whose
messages the views put back at the field they name.
"""

import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from timetill.billing.models import VatRate
from timetill.catalog.display import decimal_text
from timetill.catalog.models import Product
from timetill.catalog.services import (
    CENT,
    MAX_STEPS,
    ProductSpec,
    VariantSpec,
    check_step_barcode,
    price_decimals_message,
    sold_by_unit_by_default,
)
from timetill.catalog.tariff_forms import DAY_NAMES, DAY_SHORT
from timetill.catalog.tariff_forms import WEEKDAYS as WEEK
from timetill.customers.models import CustomerGroup
from timetill.errors import TimetillError
from timetill.sites.models import Site

MAX_IMPORT_BYTES = 256 * 1024
MAX_PREVIEW_MINUTES = 60 * 24 * 366
PRICE_BASIS = [("incl", _("Prices include VAT")), ("excl", _("Prices exclude VAT"))]


def vat_rate_choices() -> list[tuple[str, str]]:
    return [(format(rate.rate.normalize(), "f"), str(rate)) for rate in VatRate.objects.filter(active=True)]


def _text_input(**attrs: str) -> forms.TextInput:
    return forms.TextInput(attrs={"autocomplete": "off", **attrs})


class PriceField(forms.DecimalField):
    """A price as typed at a French desk too: "1,50" is 1.50."""

    def __init__(self, **kwargs) -> None:  # noqa: ANN003
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def to_python(self, value: object) -> object:
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


class ProductForm(forms.Form):
    """The fields every product has, its price (simple) and its tariff document (time, Daily Time)."""

    internal_name = forms.CharField(
        label=_("Internal name"),
        required=False,
        strip=False,
        widget=_text_input(required="required", maxlength="100"),
        help_text=_('What staff see, e.g. "Extra Hours 8-16".'),
    )
    short_name = forms.CharField(
        label=_("Short name"),
        required=False,
        strip=False,
        widget=_text_input(required="required", maxlength="60"),
        help_text=_('What customers see on receipts and invoices: "Extra Hours".'),
    )
    description = forms.CharField(
        label=_("Description"), required=False, strip=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    # A plain value, not a ModelChoiceField: the service says which rates exist, with its own message.
    vat_rate = forms.CharField(label=_("VAT rate"), required=False, widget=forms.Select())
    price_basis = forms.ChoiceField(label=_("Price basis"), choices=PRICE_BASIS, initial="incl")
    price = PriceField(label=_("Price"))
    sold_by_unit = forms.BooleanField(
        label=_("Sold by the unit: whole quantities only (1, 2, 3…)"),
        required=False,
        help_text=_("Untick for what is measured, such as 1.5 hours."),
    )
    tariff = forms.CharField(
        label=_("Tariff document (JSON)"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 22, "spellcheck": "false", "class": "code-input"}),
    )

    def __init__(self, *args, kind: str, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["vat_rate"].widget.choices = vat_rate_choices()
        if kind != Product.Kind.SIMPLE:
            del self.fields["price"]
        if kind not in (Product.Kind.TIME, Product.Kind.DAILY_TIME):
            del self.fields["tariff"]
        if not self.is_bound and "sold_by_unit" not in self.initial:
            self.initial["sold_by_unit"] = sold_by_unit_by_default(kind)

    @classmethod
    def initial_of(cls, product: Product) -> dict:
        return {
            "internal_name": product.internal_name,
            "short_name": product.short_name,
            "description": product.description,
            "vat_rate": format(product.vat_rate.rate.normalize(), "f"),
            "price_basis": "incl" if product.prices_include_vat else "excl",
            "price": decimal_text(product.price),
            "sold_by_unit": product.sold_by_unit,
        }

    def vat_rate_value(self) -> str:
        return self.cleaned_data.get("vat_rate") or ""

    def spec(self, steps: tuple[VariantSpec, ...] = ()) -> ProductSpec:
        data = self.cleaned_data
        tariff_text = data.get("tariff") or ""
        return ProductSpec(
            internal_name=data["internal_name"],
            short_name=data["short_name"],
            description=data["description"],
            kind=self.kind,
            vat_rate=data["vat_rate"],  # type: ignore[arg-type]  # the service reads any spelling of a rate
            prices_include_vat=data["price_basis"] == "incl",
            price=data.get("price"),
            variants=steps,
            # JSON text as typed: the engine parses it and says where it is wrong (line, column, field).
            tariff=tariff_text if tariff_text.strip() else None,  # type: ignore[arg-type]
            sold_by_unit=bool(data.get("sold_by_unit")),
        )


class StepForm(forms.Form):
    """One step of a price ladder: label, duration in minutes, price, optional barcode."""

    label = forms.CharField(label=_("Label"), required=False, widget=_text_input(maxlength="80"))
    duration_minutes = forms.IntegerField(
        label=_("Minutes"), required=False, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    price = PriceField(label=_("Price"))
    # No maxlength: a browser would cut a longer code silently; the check below says it is too long.
    barcode = forms.CharField(label=_("Barcode"), required=False, max_length=500, widget=_text_input())

    # Every row checked here, so that every wrong row shows its message at once (the service checks again).
    def clean_price(self) -> Decimal | None:
        value = self.cleaned_data.get("price")
        if value is not None:
            if value < 0:
                raise ValidationError(_("%(value)s must be zero or more.") % {"value": value})
            if value != value.quantize(CENT):
                raise ValidationError(price_decimals_message(value))
        return value

    def clean_duration_minutes(self) -> int | None:
        value = self.cleaned_data.get("duration_minutes")
        if value is not None and value <= 0:
            raise ValidationError(_("must be a whole number above zero."))
        return value

    def clean_barcode(self) -> str:
        value = (self.cleaned_data.get("barcode") or "").strip()
        if not value:
            return ""
        try:
            return check_step_barcode(value)
        except TimetillError as error:
            raise ValidationError(error.message) from error

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not any(data.get(name) not in (None, "") for name in ("label", "duration_minutes", "price"))

    def variant(self) -> VariantSpec:
        data = self.cleaned_data
        return VariantSpec(
            label=data.get("label") or "",
            duration_minutes=data.get("duration_minutes"),  # type: ignore[arg-type]  # checked by the service
            price=data.get("price"),  # type: ignore[arg-type]
            barcode=data.get("barcode") or None,
        )


StepFormSet = forms.formset_factory(
    StepForm, extra=2, can_delete=True, max_num=MAX_STEPS, absolute_max=MAX_STEPS + 10
)


def parse_duration(text: str) -> timedelta:
    """'80' (minutes), '1:20' (h:mm) or '1h20' → a duration."""
    text = text.strip().lower().replace(" ", "")
    if match := re.fullmatch(r"(\d{1,6})", text):
        minutes = int(match[1])
    elif match := re.fullmatch(r"(\d{1,4})[:h](\d{1,2})?m?(?:in)?", text):
        if match[2] is not None and int(match[2]) >= 60:
            raise ValidationError(_("Minutes after the hours go up to 59."))
        minutes = int(match[1]) * 60 + int(match[2] or 0)
    elif match := re.fullmatch(r"(\d{1,6})m(?:in)?", text):
        minutes = int(match[1])
    else:
        raise ValidationError(_("Type minutes (80) or hours and minutes (1:20)."))
    if minutes > MAX_PREVIEW_MINUTES:
        raise ValidationError(_("At most a year."))
    return timedelta(minutes=minutes)


class PreviewForm(forms.Form):
    """A stay to price with the document being edited: a duration from a start, or one day's hours."""

    duration = forms.CharField(
        label=_("Duration"),
        required=False,
        widget=_text_input(placeholder=_("1:20 or 80"), inputmode="text", size="8"),
    )
    day = forms.DateField(label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(
        label=pgettext_lazy("start of a stay, a time of day", "From"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    end = forms.TimeField(
        label=pgettext_lazy("end of a stay, a time of day", "To"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    group = forms.CharField(
        label=_("Customer group"),
        required=False,
        max_length=100,
        widget=_text_input(placeholder=_("everyone"), list="preview-groups"),
    )

    def __init__(self, *args, daily: bool = False, **kwargs) -> None:  # noqa: ANN002, ANN003
        kwargs.setdefault("prefix", "preview")
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["day"].help_text = _("Today when empty.")
        if daily:
            fields["start"].label, fields["end"].label = _("Arrival"), _("Departure")
            del fields["duration"]
            # A week of stays, priced together as Daily Time prices a period (one line per day).
            fields["week"] = forms.DateField(
                label=_("Week of"),
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
                help_text=_("Any day of the week; this week when empty."),
            )
            for day in WEEK:
                fields[f"{day}_in"] = forms.TimeField(
                    label=_("{day}: arrival").format(day=DAY_NAMES[day]),
                    required=False,
                    widget=forms.TimeInput(attrs={"type": "time"}),
                )
                fields[f"{day}_out"] = forms.TimeField(
                    label=_("{day}: departure").format(day=DAY_NAMES[day]),
                    required=False,
                    widget=forms.TimeInput(attrs={"type": "time"}),
                )
        else:
            fields["start"].help_text = _("Now when empty.")
            del fields["end"]

    def week_rows(self) -> list[dict]:
        """The week's arrival and departure fields, a row a day (Daily Time)."""
        return [
            {"name": DAY_SHORT[day], "arrival": self[f"{day}_in"], "departure": self[f"{day}_out"]}
            for day in WEEK
        ]

    def clean(self) -> dict:
        data = super().clean()
        for day in WEEK if f"{WEEK[0]}_in" in self.fields else ():
            arrival, departure = data.get(f"{day}_in"), data.get(f"{day}_out")
            name = DAY_NAMES[day]
            if (arrival is None) != (departure is None):
                missing = f"{day}_out" if departure is None else f"{day}_in"
                self.add_error(missing, _("{day}: give the arrival and the departure.").format(day=name))
            elif arrival is not None and departure is not None and departure <= arrival:
                self.add_error(f"{day}_out", _("{day}: the departure is after the arrival.").format(day=name))
        return data

    def week_stays(self, *, zone, now: datetime) -> list[tuple[datetime, datetime]]:  # noqa: ANN001
        """The week's stays in the tariff's zone (Daily Time), Monday first."""
        data = self.cleaned_data
        if f"{WEEK[0]}_in" not in self.fields:
            return []
        some_day: date = data.get("week") or now.astimezone(zone).date()
        monday = some_day - timedelta(days=some_day.weekday())
        stays = []
        for offset, day in enumerate(WEEK):
            arrival, departure = data.get(f"{day}_in"), data.get(f"{day}_out")
            if arrival is not None and departure is not None:
                on = monday + timedelta(days=offset)
                stays.append((datetime.combine(on, arrival, zone), datetime.combine(on, departure, zone)))
        return stays

    def clean_duration(self) -> timedelta | None:
        text = self.cleaned_data.get("duration") or ""
        return parse_duration(text) if text.strip() else None

    def stay(self, *, daily: bool, zone, now: datetime) -> tuple[datetime, datetime] | None:  # noqa: ANN001
        """The stay to price, in the tariff's zone; None when there is not enough to price yet."""
        data = self.cleaned_data
        local_now = now.astimezone(zone)
        day: date = data.get("day") or local_now.date()
        start: time | None = data.get("start")
        if daily:
            end: time | None = data.get("end")
            if start is None or end is None:
                return None
            return datetime.combine(day, start, zone), datetime.combine(day, end, zone)
        duration: timedelta | None = data.get("duration")
        if duration is None:
            return None
        begin = datetime.combine(day, start or local_now.time().replace(second=0, microsecond=0), zone)
        return begin, begin + duration


class ImportForm(forms.Form):
    """A tariff document to import: an uploaded .json file, or pasted text."""

    file = forms.FileField(label=_("A .json file"), required=False)
    text = forms.CharField(
        label=_("Or paste the document"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false", "class": "code-input"}),
    )

    def clean(self) -> dict:
        data = super().clean()
        upload = data.get("file")
        if upload is not None:
            if upload.size > MAX_IMPORT_BYTES:
                raise ValidationError(
                    {"file": _("At most %(size)s KB.") % {"size": MAX_IMPORT_BYTES // 1024}}
                )
            data["document"] = upload.read()
        elif (data.get("text") or "").strip():
            data["document"] = data["text"]
        else:
            raise ValidationError(_("Choose a .json file or paste a document."))
        return data


class SiteTimeProductForm(forms.Form):
    """The time product of one site, for everyone or for one customer group."""

    site = forms.ModelChoiceField(queryset=Site.objects.all(), widget=forms.HiddenInput)
    group = forms.ModelChoiceField(
        queryset=CustomerGroup.objects.all(), required=False, widget=forms.HiddenInput
    )
    product = forms.ModelChoiceField(
        queryset=Product.objects.filter(archived=False).exclude(kind=Product.Kind.SIMPLE),
        required=False,
        label=_("Time product"),
    )

    def __init__(self, *args, empty_label: str = "", **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["product"].empty_label = empty_label or _("None")


def with_more_steps(data: QueryDict, extra: int) -> QueryDict:
    """The formset's posted data with room for `extra` more steps (the "Add a step" button)."""
    data = data.copy()
    key = "steps-TOTAL_FORMS"
    try:
        total = int(data.get(key, "0"))
    except ValueError:
        total = 0
    data[key] = str(min(total + extra, MAX_STEPS))
    return data
