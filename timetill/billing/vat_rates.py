"""VAT rates as data: a manager adds one (an exempt rate with its reason and law) or deactivates one."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from timetill.billing.models import VatRate
from timetill.billing.money import BillingError, VatSpec
from timetill.billing.seller import Actor
from timetill.errors import Conflict, Forbidden
from timetill.formats import number


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
    """A new active VAT rate; BillingError (with its field) when it says less than it must."""
    require_catalog_manager(actor)
    name = name.strip()
    if not name or len(name) > 50:
        raise BillingError(
            "invalid_name", gettext_noop("Give the rate a name of at most 50 characters."), field="name"
        )
    try:
        value = Decimal(str(rate).strip().replace(",", "."))
    except InvalidOperation:
        raise BillingError(
            "invalid_vat_rate", gettext_noop("“{rate}” is not a percentage."), field="rate", rate=str(rate)
        ) from None
    if value.is_finite() and value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise BillingError(
            "invalid_vat_rate", gettext_noop("A rate has at most two decimals (e.g. 5.5)."), field="rate"
        )
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
            _("A rate of %(rate)s %% in the category “%(category)s” already exists.")
            % {"category": _(spec.category.label), "rate": number(spec.rate)},
            field="rate",
        ) from None


@transaction.atomic
def set_vat_rate_active(*, rate_id: int, active: bool, actor: Actor) -> VatRate:
    """Deactivate a rate (products keep it, new ones cannot choose it) or activate it again."""
    require_catalog_manager(actor)
    vat_rate = VatRate.objects.select_for_update().get(pk=rate_id)
    vat_rate.active = active
    vat_rate.save(update_fields=["active"])
    return vat_rate
