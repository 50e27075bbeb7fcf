"""Forms of the billing settings pages: the seller's identity and a new VAT rate (checked by the services)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from timetill.billing.models import EINVOICE_FORMATS
from timetill.billing.money import VatCategory


class SellerForm(forms.Form):
    legal_name = forms.CharField(label=_("Legal name"), max_length=200)
    address = forms.CharField(
        label=_("Address"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One line per line printed."),
    )
    country = forms.CharField(label=_("Country"), max_length=2, initial="FR", help_text=_("FR, IT…"))
    vat_number = forms.CharField(label=_("VAT number"), required=False, help_text=_("e.g. FR40303265045"))
    siren = forms.CharField(label=_("SIREN"), required=False)
    siret = forms.CharField(label=_("SIRET"), required=False)
    rea = forms.CharField(label=_("REA number"), required=False, help_text=_("Italy: e.g. MI-1234567"))
    codice_fiscale = forms.CharField(label=_("Codice fiscale"), required=False)
    email = forms.CharField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), required=False)
    iban = forms.CharField(label=_("IBAN"), required=False)
    bic = forms.CharField(label=_("BIC"), required=False)
    payment_terms = forms.CharField(label=_("Payment terms"), required=False, help_text=_("e.g. 30 days net"))
    legal_mentions = forms.CharField(
        label=_("Legal mentions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Printed at the foot of receipts and invoices, e.g. the share capital."),
    )
    einvoice_formats = forms.ChoiceField(
        label=_("E-invoices"),
        required=False,
        choices=EINVOICE_FORMATS,
        help_text=_("The XML each issued invoice and credit note comes with (docs: e-invoices)."),
    )


class VatRateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    rate = forms.CharField(
        label=_("Rate (%)"), help_text=_("0 for zero rated, exempt, reverse charge, not subject.")
    )
    category = forms.ChoiceField(label=_("Category"), choices=[(c.value, _(c.label)) for c in VatCategory])
    exemption_reason = forms.CharField(
        label=_("Exemption reason"),
        required=False,
        max_length=200,
        help_text=_(
            "Required when exempt: e.g. “Exonération de TVA, art. 261-4-4° du CGI”, “art. 10 DPR 633/72”."
        ),
    )
    exemption_code = forms.CharField(
        label=_("Exemption code"), required=False, max_length=30, help_text=_("e.g. VATEX-EU-132-1I, N4")
    )
