"""Template tags shared by the pages: the user menu's preferences form, the initials of a name, money."""

from decimal import Decimal

from django import template

from timetill.accounts.services import profile_of
from timetill.billing.money import rounded
from timetill.errors import TimetillError
from timetill.web.forms import PreferencesForm

register = template.Library()


@register.inclusion_tag("web/_preferences_menu.html", takes_context=True)
def preferences_menu(context: template.Context) -> dict:
    request = context["request"]
    form = PreferencesForm(instance=profile_of(request.user), user=request.user)
    return {"form": form, "next": request.get_full_path(), "csrf_token": context.get("csrf_token")}


@register.filter
def initials(name: str) -> str:
    parts = [part for part in str(name).replace(".", " ").replace("_", " ").split() if part]
    return "".join(part[0] for part in parts[:2]).upper() or "?"


# The symbols a front desk reads at a glance; any other currency shows its code.
_SYMBOLS = {"EUR": "€", "GBP": "£", "USD": "$", "CHF": "CHF", "JPY": "¥"}


@register.filter
def money(amount: Decimal | None, currency: str) -> str:
    """3.7 and "EUR" → "3.70 €": rounded to the currency's minor unit as the till rounds."""
    if amount is None:
        return ""
    try:
        amount = rounded(Decimal(amount), currency)
    except TimetillError:
        pass  # a currency the till does not know: show the amount as it is
    return f"{amount} {_SYMBOLS.get(currency, currency)}"
