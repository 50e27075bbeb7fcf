"""The office's invoicing forms: a payment, a credit note, a family and its payers, a line added by hand."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from timetill.billing.money import quantum, rounded
from timetill.catalog.models import Product
from timetill.customers.models import Customer
from timetill.formats import money
from timetill.invoicing.models import Payment


def money_field(label: str, *, required: bool = True) -> forms.CharField:
    # A text field, not a number one: the amount is read as a Decimal by the form, never as a float.
    return forms.CharField(
        label=label,
        required=required,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


def parse_money(text: str, currency: str) -> Decimal:
    """An amount typed by a person: 12.50 or 12,50, no more decimals than the currency has."""
    try:
        value = Decimal((text or "").strip().replace(",", "."))
    except InvalidOperation:
        raise forms.ValidationError(
            _("%(text)s is not an amount: write it like 12.50.") % {"text": text}
        ) from None
    if not value.is_finite():
        raise forms.ValidationError(_("%(text)s is not an amount: write it like 12.50.") % {"text": text})
    if value != rounded(value, currency):
        raise forms.ValidationError(
            _("%(currency)s has %(n)d decimals at most: %(text)s is not an amount it can be paid in.")
            % {"currency": currency, "n": -quantum(currency).as_tuple().exponent, "text": text}
        )
    if value <= 0:
        raise forms.ValidationError(_("The amount is more than zero."))
    return value


class PaymentForm(forms.Form):
    method = forms.ChoiceField(label=gettext_lazy("Paid by"), choices=Payment.Method.choices)
    amount = money_field(gettext_lazy("Amount"))
    paid_on = forms.DateField(
        label=gettext_lazy("Paid on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": gettext_lazy("Give the date it was paid, e.g. 2026-11-20.")},
    )
    reference = forms.CharField(
        label=gettext_lazy("Reference (optional)"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("A transfer's or a cheque's reference, a card slip number."),
    )

    def __init__(self, *args, currency: str, due: Decimal, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.currency, self.due = currency, due

    def clean_amount(self) -> Decimal:
        amount = parse_money(self.cleaned_data["amount"], self.currency)
        if amount > self.due:
            raise forms.ValidationError(
                _("%(amount)s is more than what is due on this invoice (%(due)s).")
                % {"amount": money(amount, self.currency), "due": money(self.due, self.currency)}
            )
        return amount


class CreditNoteForm(forms.Form):
    """What to credit: the whole invoice (all that remains), or amounts typed for chosen lines."""

    WHOLE, LINES = "whole", "lines"
    scope = forms.ChoiceField(
        label=gettext_lazy("Credit"),
        choices=(
            (WHOLE, gettext_lazy("The whole invoice (all that remains)")),
            (LINES, gettext_lazy("Chosen lines")),
        ),
        widget=forms.RadioSelect,
        initial=WHOLE,
    )
    reason = forms.CharField(
        label=gettext_lazy("Why"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": gettext_lazy("Say why: the credit note states it.")},
    )

    def __init__(self, *args, lines: list, currency: str, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.lines, self.currency = lines, currency  # [(line, remaining)]
        for line, remaining in lines:
            self.fields[f"line_{line.pk}"] = money_field(line.description, required=False)
            self.fields[f"line_{line.pk}"].help_text = _("at most %(remaining)s") % {
                "remaining": f"{remaining:.2f}"
            }

    def line_fields(self):
        return [(line, remaining, self[f"line_{line.pk}"]) for line, remaining in self.lines]

    def clean(self):
        data = super().clean()
        if data.get("scope") != self.LINES:
            data["amounts"] = None
            return data
        amounts = {}
        for line, remaining in self.lines:
            name = f"line_{line.pk}"
            text = (self.data.get(self.add_prefix(name)) or "").strip()
            if not text:
                continue
            try:
                amount = parse_money(text, self.currency)
            except forms.ValidationError as error:
                self.add_error(name, error)
                continue
            if amount > remaining:
                self.add_error(
                    name,
                    _("%(amount)s is more than what remains of this line (%(remaining)s).")
                    % {"amount": f"{amount:.2f}", "remaining": f"{remaining:.2f}"},
                )
                continue
            amounts[line.pk] = amount
        if not amounts and not self.errors:
            self.add_error(
                "scope", _("Type an amount beside at least one line, or credit the whole invoice.")
            )
        data["amounts"] = amounts
        return data


class FamilyForm(forms.Form):
    """A family: its name, one or two payers (name, address, tax code, e-mail, login), its children."""

    name = forms.CharField(
        label=gettext_lazy("Family name"),
        max_length=200,
        error_messages={"required": gettext_lazy("Give the family a name, e.g. Martin.")},
    )
    payer1_name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=200,
        error_messages={"required": gettext_lazy("Who the invoices are made out to: a name is needed.")},
    )
    payer1_address = forms.CharField(
        label=gettext_lazy("Address"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    payer1_tax_code = forms.CharField(
        label=gettext_lazy("Tax code"),
        required=False,
        max_length=40,
        help_text=gettext_lazy("In Italy the codice fiscale: FatturaPA e-invoices need it."),
    )
    payer1_country = forms.CharField(
        label=gettext_lazy("Country"),
        required=False,
        max_length=2,
        help_text=gettext_lazy("FR, IT…; empty: the seller's country."),
    )
    payer1_pec = forms.EmailField(
        label=gettext_lazy("PEC (Italy)"),
        required=False,
        help_text=gettext_lazy("The certified e-mail FatturaPA e-invoices are delivered to, if any."),
        error_messages={"invalid": gettext_lazy("This is not an e-mail address.")},
    )
    payer1_email = forms.EmailField(
        label=gettext_lazy("E-mail"),
        required=False,
        error_messages={"invalid": gettext_lazy("This is not an e-mail address, e.g. claire@example.org.")},
    )
    payer1_username = forms.CharField(
        label=gettext_lazy("Login (optional)"),
        required=False,
        max_length=150,
        help_text=gettext_lazy("The user who sees these invoices on their phone."),
    )
    payer1_language = forms.ChoiceField(
        label=gettext_lazy("Language of the invoices"),
        required=False,
        choices=[("", gettext_lazy("The site's language")), *settings.LANGUAGES],
    )
    payer2_name = forms.CharField(
        label=gettext_lazy("Name"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("Only for separated parents who share the invoices."),
    )
    payer2_address = forms.CharField(
        label=gettext_lazy("Address"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    payer2_tax_code = forms.CharField(label=gettext_lazy("Tax code"), required=False, max_length=40)
    payer2_country = forms.CharField(label=gettext_lazy("Country"), required=False, max_length=2)
    payer2_pec = forms.EmailField(
        label=gettext_lazy("PEC (Italy)"),
        required=False,
        error_messages={"invalid": gettext_lazy("This is not an e-mail address.")},
    )
    payer2_email = forms.EmailField(
        label=gettext_lazy("E-mail"),
        required=False,
        error_messages={"invalid": gettext_lazy("This is not an e-mail address, e.g. marc@example.org.")},
    )
    payer2_username = forms.CharField(label=gettext_lazy("Login (optional)"), required=False, max_length=150)
    payer2_language = forms.ChoiceField(
        label=gettext_lazy("Language of the invoices"),
        required=False,
        choices=[("", gettext_lazy("The site's language")), *settings.LANGUAGES],
    )
    add_children = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Add children"),
        required=False,
        queryset=Customer.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Customers not yet in a family."),
    )
    new_children = forms.CharField(
        label=gettext_lazy("New children (one name per line)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, children=(), **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["add_children"].queryset = Customer.objects.filter(family_link__isnull=True).order_by(
            "name"
        )
        self.children = list(children)  # the family's children, each with a share field per payer
        for child in self.children:
            for position in (1, 2):
                self.fields[f"share_{child.customer_id}_{position}"] = forms.CharField(
                    label=_("%% paid by payer %(n)d") % {"n": position},
                    required=False,
                    max_length=6,
                    widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                )

    def share_fields(self):
        return [
            (child, self[f"share_{child.customer_id}_1"], self[f"share_{child.customer_id}_2"])
            for child in self.children
        ]

    def clean_new_children(self) -> list[str]:
        names = [n.strip() for n in self.cleaned_data["new_children"].splitlines() if n.strip()]
        for name in names:
            if len(name) > 200 or not name.isprintable():
                raise forms.ValidationError(_("A child's name is at most 200 printable characters."))
        return names

    def clean(self):
        data = super().clean()
        has_second = bool((data.get("payer2_name") or "").strip())
        if not has_second:
            for other in ("address", "tax_code", "email", "username", "country", "pec"):
                if data.get(f"payer2_{other}"):
                    self.add_error(
                        "payer2_name", _("Give the second payer a name, or leave their fields empty.")
                    )
                    break
        shares = {}
        for child in self.children:
            first_name, second_name = f"share_{child.customer_id}_1", f"share_{child.customer_id}_2"
            texts = [(self.data.get(self.add_prefix(n)) or "").strip() for n in (first_name, second_name)]
            if not any(texts):
                shares[child.customer_id] = None
                continue
            if not has_second:
                self.add_error(first_name, _("A split needs two payers: add the second payer first."))
                continue
            values = []
            for name, text in zip((first_name, second_name), texts, strict=True):
                try:
                    value = Decimal(text.replace(",", ".") or "0")
                except InvalidOperation:
                    value = Decimal(-1)
                if not value.is_finite() or not 0 < value <= 100 or value.as_tuple().exponent < -2:  # type: ignore[operator]
                    self.add_error(name, _("A share is a percentage above 0 and at most 100, e.g. 50."))
                values.append(value)
            if len(values) == 2 and all(0 < v <= 100 for v in values) and sum(values) != 100:
                self.add_error(
                    second_name,
                    _("%(child)s: the shares add up to %(total)s %%, not 100 %%.")
                    % {"child": child.customer.name, "total": f"{sum(values):f}"},
                )
            shares[child.customer_id] = values
        data["shares"] = shares
        return data


class ManualLineForm(forms.Form):
    product = forms.ModelChoiceField(
        label=gettext_lazy("Product"),
        queryset=Product.objects.none(),
        error_messages={
            "required": gettext_lazy("Choose the product the line bills."),
            "invalid_choice": gettext_lazy("Choose a product of the list."),
        },
    )
    description = forms.CharField(
        label=gettext_lazy("Text on the invoice (optional)"),
        required=False,
        max_length=300,
        help_text=gettext_lazy("The product's short name when left empty."),
    )
    quantity = forms.CharField(
        label=gettext_lazy("Quantity"),
        required=False,
        max_length=12,
        initial="1",
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=gettext_lazy("For a simple product, billed at its price."),
    )
    amount = money_field(gettext_lazy("Amount (Daily Time products)"), required=False)
    child = forms.ChoiceField(label=gettext_lazy("Child (optional)"), required=False)

    def __init__(self, *args, children=(), **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.filter(
            archived=False, kind__in=(Product.Kind.SIMPLE, Product.Kind.DAILY_TIME)
        ).order_by("short_name", "internal_name")
        self.fields["product"].label_from_instance = lambda p: (
            f"{p.internal_name} ({_('amount typed by hand')})"
            if p.kind == Product.Kind.DAILY_TIME
            else f"{p.internal_name} ({p.price:.2f})"
        )
        self.fields["amount"].help_text = _("A Daily Time product added by hand takes the amount you type.")
        self.fields["child"].choices = [("", "—"), *((str(c.pk), c.name) for c in children)]
