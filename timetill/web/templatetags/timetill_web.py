"""Template tags shared by the pages: the user menu's preferences form, the initials of a name, money."""

from decimal import Decimal

from django import template

from timetill import formats
from timetill.accounts.services import profile_of
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


@register.filter
def money(amount: Decimal | None, currency: str) -> str:
    """3.7 and "EUR" → "€3.70" (in English): timetill.formats.money, the one way amounts are written."""
    return formats.money(amount, currency)


@register.filter
def quantity(value: Decimal | None) -> str:
    """2.000 → "2", 100000 → "100,000": timetill.formats.number."""
    return formats.number(value)
