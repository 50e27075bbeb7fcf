"""VAT rates as data: a manager adds one (an exempt rate with its reason and law) or deactivates one."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from timetill.billing.models import VatRate
from timetill.billing.money import BillingError, VatSpec
from timetill.billing.seller import Actor
from timetill.errors import Conflict, Forbidden


def require_catalog_manager(actor: Actor) -> None:
    """VAT rates are what products may carry: those who manage the catalogue manage them."""
    if actor.device is not None or not actor.has_right("manage_catalog"):
        raise Forbidden("forbidden", _("Only a manager of the catalogue may change the VAT rates."))


@transaction.atomic
def add_vat_rate(
    *,
    name: str,
    rate: Decimal | str,
    category: str,
    actor: Actor,
    exemption_reason: str = "",
    exemption_code: str = "",
) -> VatRate:
    """A new active VAT rate; BillingError (with the field in its message) when it says less than it must."""
    require_catalog_manager(actor)
    name = name.strip()
    if not name or len(name) > 50:
        raise BillingError("invalid_name", _("name: give the rate a name of at most 50 characters."))
    try:
        value = Decimal(str(rate).strip().replace(",", "."))
    except InvalidOperation:
        raise BillingError(
            "invalid_vat_rate", _("rate: %(rate)s is not a percentage.") % {"rate": rate}
        ) from None
    if value.is_finite() and value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise BillingError("invalid_vat_rate", _("rate: at most two decimals (e.g. 5.5)."))
    spec = VatSpec(
        value, category, exemption_reason.strip(), exemption_code.strip()
    )  # the rule checks the rest
    try:
        with transaction.atomic():
            return VatRate.objects.create(
                name=name,
                rate=spec.rate,
                category=spec.category.value,
                exemption_reason=spec.exemption_reason[:200],
                exemption_code=spec.exemption_code[:30],
            )
    except IntegrityError:
        raise Conflict(
            "vat_rate_exists",
            _("rate: a %(category)s rate of %(rate)s %% already exists.")
            % {"category": spec.category.label.lower(), "rate": f"{spec.rate:f}"},
        ) from None


@transaction.atomic
def set_vat_rate_active(*, rate_id: int, active: bool, actor: Actor) -> VatRate:
    """Deactivate a rate (products keep it, new ones cannot choose it) or activate it again."""
    require_catalog_manager(actor)
    vat_rate = VatRate.objects.select_for_update().get(pk=rate_id)
    vat_rate.active = active
    vat_rate.save(update_fields=["active"])
    return vat_rate
