"""Forms of the till pages: what a cashier types (a product, a discount, payments, a refund), read as specs.

The forms only read numbers and ids; whether a quantity, a price or a payment is acceptable is the services'
decision (a negative quantity reaches add_line, which refuses it with its own message).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from babel.numbers import format_decimal
from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from timetill.catalog.models import Product
from timetill.formats import current_locale, money, number
from timetill.sales.payments import PaymentSpec
from timetill.sales.services import LineSpec, RefundItem


class TypedDecimalField(forms.DecimalField):
    """A number as a desk types it: "1,5" is 1.5 as in the catalogue; spaces between thousands are ignored."""

    def to_python(self, value: object) -> object:
        if isinstance(value, str):
            value = "".join(value.split()).replace("\u202f", "")
            if "," in value and "." not in value and value.count(",") == 1:
                value = value.replace(",", ".")
        return super().to_python(value)


def _zero_text() -> str:
    return format_decimal(Decimal("0.00"), locale=current_locale(), decimal_quantization=False)


# "0.00" in English, "0,00" in French and Italian: worked out when the page is drawn, in its language.
_zero = lazy(_zero_text, str)


def amount_field(label: str, *, required: bool = False, **kwargs) -> forms.DecimalField:  # noqa: ANN003
    """A number typed on a tablet's decimal keypad. Wide enough for any amount the till holds; the currency's
    decimals and the sign are the services' to check (a browser's number field would block them silently)."""
    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "placeholder": _zero()})
    kwargs.setdefault("error_messages", {"invalid": _("Type a number, such as 2 or 12.50.")})
    return TypedDecimalField(
        label=label, required=required, max_digits=12, decimal_places=3, widget=widget, **kwargs
    )


def first_error(form: forms.Form) -> str:
    """The first problem of an invalid form, as one readable sentence for the red message."""
    for name, errors in form.errors.as_data().items():
        error = errors[0]
        text = " ".join(error.messages)
        label = form.fields[name].label if name in form.fields else None
        # The till's own messages name what they are about; a generic one ("Enter a whole number.") gets
        # the field's label in front.
        return f"{label}: {text}" if label and error.code is not None else text
    return _("Please check what you typed.")


@dataclass(frozen=True)
class Item:
    """Something the till can add: a simple product ("p12"), a ladder step ("p12-v3"), or a product priced by
    hand (time or Daily Time: "p12" and a typed price)."""

    value: str
    name: str
    detail: str
    by_hand: bool = False

    @property
    def label(self) -> str:
        return f"{self.name} · {self.detail}"


def _price(value: Decimal, currency_code: str | None) -> str:
    return money(value, currency_code) if currency_code else number(value)


def sellable_items(currency_code: str | None = None) -> list[Item]:
    """Every product that can be sold, prices shown at the currency's precision when it is known."""
    items, by_hand = [], []
    products = list(
        Product.objects.filter(archived=False).prefetch_related("variants").order_by("short_name", "pk")
    )
    # Two products a customer sees under one name are told apart by the name staff know them by.
    shared = Counter(product.short_name for product in products)

    def name_of(product: Product) -> str:
        if shared[product.short_name] > 1:
            return f"{product.short_name} · {product.internal_name}"
        return product.short_name

    for product in products:
        if product.kind == Product.Kind.SIMPLE:
            items.append(Item(f"p{product.pk}", name_of(product), _price(product.price, currency_code)))
        elif product.kind == Product.Kind.LADDER:
            items += [
                Item(
                    f"p{product.pk}-v{step.pk}",
                    f"{name_of(product)} {step.label}",
                    _price(step.price, currency_code),
                )
                for step in product.variants.all()
            ]
        else:
            by_hand.append(Item(f"p{product.pk}", name_of(product), _("price typed in"), by_hand=True))
    return items + by_hand


class AddLineForm(forms.Form):
    item = forms.ChoiceField(label=gettext_lazy("Product"))
    quantity = amount_field(gettext_lazy("Quantity"), required=True, initial=Decimal(1))
    unit_price = amount_field(
        gettext_lazy("Price"), help_text=gettext_lazy("Only for a product priced by hand.")
    )
    confirm_quantity = forms.BooleanField(required=False, label=_("Yes, that many"))

    def __init__(  # noqa: ANN002, ANN003
        self, *args, items: list[Item] | None = None, currency: str | None = None, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.currency = currency
        self.asks_confirmation = False
        items = sellable_items(currency) if items is None else items
        self.fields["item"].choices = [
            ("", _("Choose a product…")),
            *[
                (group, [(item.value, item.label) for item in items if item.by_hand == by_hand])
                for group, by_hand in ((_("Products and steps"), False), (_("Priced by hand"), True))
                if any(item.by_hand == by_hand for item in items)
            ],
        ]

    def spec(self) -> LineSpec:
        product, _, variant = self.cleaned_data["item"][1:].partition("-v")
        return LineSpec(
            product_id=int(product),
            quantity=self.cleaned_data["quantity"],
            variant_id=int(variant) if variant else None,
            unit_price=self.cleaned_data["unit_price"],
            confirmed=bool(self.cleaned_data.get("confirm_quantity")),
        )


class DiscountForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Discount"), choices=[("amount", gettext_lazy("Amount")), ("percent", "%")]
    )
    value = amount_field(gettext_lazy("Discount"))

    def amounts(self) -> dict[str, Decimal | None]:
        """amount= or percent= for set_discount; an empty value takes the discount off."""
        value = self.cleaned_data["value"]
        if value is None:
            return {}
        return {self.cleaned_data["kind"]: value}


class StepForm(forms.Form):
    variant = forms.IntegerField(label=gettext_lazy("Step"), min_value=1)


class CustomerForm(forms.Form):
    customer = forms.IntegerField(label=gettext_lazy("Customer"), min_value=1, required=False)


class PaymentForm(forms.Form):
    """One amount per method: fill several for a split payment. Cash is what was handed over."""

    cash = amount_field(gettext_lazy("Cash tendered"))
    card = amount_field(gettext_lazy("Card"))
    other = amount_field(gettext_lazy("Other"))

    def payments(self) -> list[PaymentSpec]:
        # Card first, cash last: change comes out of the cash, as at a real till.
        return [
            PaymentSpec(method, self.cleaned_data[method])
            for method in ("card", "other", "cash")
            if self.cleaned_data.get(method) is not None
        ]


class RefundForm(forms.Form):
    """Lines to refund (ticked) and how many of each (empty: all that is left)."""

    everything = forms.BooleanField(required=False)

    def __init__(self, *args, line_ids: list[int], **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.line_ids = line_ids
        for pk in line_ids:
            self.fields[f"line-{pk}"] = forms.BooleanField(required=False)
            self.fields[f"quantity-{pk}"] = amount_field(_("Quantity"))

    def items(self) -> list[RefundItem] | None:
        """None refunds everything; otherwise the ticked lines (an empty list: nothing chosen)."""
        if self.cleaned_data["everything"]:
            return None
        return [
            RefundItem(pk, self.cleaned_data[f"quantity-{pk}"])
            for pk in self.line_ids
            if self.cleaned_data[f"line-{pk}"]
        ]
