"""The seller's legal identity: checked with python-stdnum, saved per business or per site."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Protocol

from django.db import transaction
from django.utils.translation import gettext as _
from stdnum import bic as stdnum_bic
from stdnum import iban as stdnum_iban
from stdnum.eu import vat as stdnum_vat
from stdnum.exceptions import ValidationError as NumberError
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret
from stdnum.it import codicefiscale as stdnum_cf
from stdnum.it import iva as stdnum_iva

from timetill.billing.models import EINVOICE_FORMATS, SellerIdentity
from timetill.billing.numbering import BUSINESS, site_scope
from timetill.errors import Forbidden, TimetillError
from timetill.sites.models import Site

# An Italian REA number: the province's two letters and the registration number (MI-1234567).
REA = re.compile(r"^[A-Z]{2}-?\d{1,7}$")


class Actor(Protocol):
    """Who acts, as the services above pass it (timelines.actors.Actor): billing only asks for a right."""

    device: object | None

    def has_right(self, right: str) -> bool: ...


FORMAT_CODES = {code for code, _label in EINVOICE_FORMATS}
LIMITS = {f.name: f.max_length for f in SellerIdentity._meta.get_fields() if getattr(f, "max_length", None)}


@dataclass(frozen=True)
class SellerSpec:
    """What a manager enters for a seller's identity (every field a string, as typed)."""

    legal_name: str
    address: str
    country: str = "FR"
    vat_number: str = ""
    siren: str = ""
    siret: str = ""
    rea: str = ""
    codice_fiscale: str = ""
    email: str = ""
    phone: str = ""
    iban: str = ""
    bic: str = ""
    payment_terms: str = ""
    legal_mentions: str = ""
    einvoice_formats: str = ""


class InvalidSeller(TimetillError):
    """Some fields of a seller's identity are wrong: `errors` maps each field to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("invalid_seller", "; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def _number(value: str, module, message: str, errors: dict[str, str], field: str) -> str:  # noqa: ANN001
    """The number compacted and validated by its python-stdnum module; the message when it is wrong."""
    if not value.strip():
        return ""
    try:
        return module.validate(value)
    except NumberError:
        errors[field] = message
        return value


def check_seller(spec: SellerSpec) -> SellerSpec:
    """The spec with its numbers in compact form; InvalidSeller listing every wrong field."""
    errors: dict[str, str] = {}
    values = {f.name: str(getattr(spec, f.name) or "").strip() for f in fields(spec)}
    if not values["legal_name"]:
        errors["legal_name"] = _("Enter the seller's legal name, as registered.")
    if not values["address"]:
        errors["address"] = _("Enter the seller's address: documents must show it.")
    values["country"] = values["country"].upper()
    if not re.fullmatch(r"[A-Z]{2}", values["country"]):
        errors["country"] = _("Enter a two-letter country code, such as FR or IT.")
    values["vat_number"] = _number(
        values["vat_number"].upper(),
        stdnum_vat,
        _("This is not a valid EU VAT number (for example FR40303265045 or IT00743110157)."),
        errors,
        "vat_number",
    )
    values["siren"] = _number(
        values["siren"],
        stdnum_siren,
        _("This is not a valid SIREN: nine digits with a correct key."),
        errors,
        "siren",
    )
    values["siret"] = _number(
        values["siret"],
        stdnum_siret,
        _("This is not a valid SIRET: fourteen digits with a correct key."),
        errors,
        "siret",
    )
    if values["siren"] and values["siret"] and "siret" not in errors and "siren" not in errors:
        if not values["siret"].startswith(values["siren"]):
            errors["siret"] = _("The SIRET must start with the SIREN.")
    rea = values["rea"].upper().replace(" ", "")
    if rea and not REA.match(rea):
        errors["rea"] = _("Enter the REA number as the province and the number, for example MI-1234567.")
    values["rea"] = rea
    cf = values["codice_fiscale"].upper().replace(" ", "")
    if cf:
        # A person's code has 16 characters; a company's is its 11-digit partita IVA.
        module = stdnum_iva if cf.isdigit() else stdnum_cf
        values["codice_fiscale"] = _number(
            cf, module, _("This is not a valid codice fiscale."), errors, "codice_fiscale"
        )
    values["iban"] = _number(
        values["iban"].upper(), stdnum_iban, _("This is not a valid IBAN: check its digits."), errors, "iban"
    )
    values["bic"] = _number(
        values["bic"].upper(),
        stdnum_bic,
        _("This is not a valid BIC: 8 or 11 letters and digits."),
        errors,
        "bic",
    )
    if values["einvoice_formats"] not in FORMAT_CODES:
        errors["einvoice_formats"] = _("Choose which e-invoices the invoices come with.")
    if values["email"] and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", values["email"]):
        errors["email"] = _("Enter a valid e-mail address.")
    for name, value in values.items():
        limit = LIMITS.get(name)
        if limit and len(value) > limit and name not in errors:
            errors[name] = _("At most %(limit)d characters.") % {"limit": limit}
    if errors:
        raise InvalidSeller(errors)
    return SellerSpec(**values)


def require_manager(actor: Actor) -> None:
    """The seller's legal identity is the business's: those who set up sites (managers) edit it."""
    if actor.device is not None:
        raise Forbidden("devices_cannot_manage", _("A device cannot change the seller's identity."))
    if not actor.has_right("manage_sites"):
        raise Forbidden(
            "forbidden", _("Only a manager (who sets up sites) may change the seller's identity.")
        )


def seller_of(site: Site | None) -> SellerIdentity | None:
    """The identity documents of a site show: the site's own, else the business's (None: none entered)."""
    if site is not None:
        own = SellerIdentity.objects.filter(scope=site_scope(site.pk)).first()
        if own is not None:
            return own
    return SellerIdentity.objects.filter(scope=BUSINESS).first()


def own_identity(site: Site | None) -> SellerIdentity | None:
    """The identity entered for exactly this scope (the business when site is None)."""
    scope = BUSINESS if site is None else site_scope(site.pk)
    return SellerIdentity.objects.filter(scope=scope).first()


@transaction.atomic
def save_seller(*, spec: SellerSpec, site: Site | None, actor: Actor, at: datetime) -> SellerIdentity:
    """Check and save the business's identity (site None) or a site's own; nothing is saved on bad input.

    Documents already issued keep the identity they copied when they were issued.
    """
    require_manager(actor)
    checked = check_seller(spec)
    scope = BUSINESS if site is None else site_scope(site.pk)
    identity = SellerIdentity.objects.select_for_update().filter(scope=scope).first()
    if identity is None:
        identity = SellerIdentity(scope=scope, site=site)
    for f in fields(checked):
        setattr(identity, f.name, getattr(checked, f.name))
    identity.updated_at = at
    identity.save()
    return identity


@transaction.atomic
def remove_site_identity(*, site: Site, actor: Actor) -> None:
    """A site stops invoicing in its own name: its documents show the business's identity again."""
    require_manager(actor)
    SellerIdentity.objects.filter(scope=site_scope(site.pk)).delete()
