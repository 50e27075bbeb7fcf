"""Template tags shared by the pages: the user menu's preferences form, the initials of a name."""

from django import template

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
