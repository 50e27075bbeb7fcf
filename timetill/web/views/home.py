"""The home address (each user's chosen page) and the preferences that choose it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language_from_request
from django.utils.translation import gettext as _

from timetill.accounts.services import home_url, profile_of
from timetill.web.forms import PreferencesForm


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return redirect(home_url(request.user))


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    profile = profile_of(request.user)
    form = PreferencesForm(request.POST or None, instance=profile, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        # The message below, and the page it shows on, already in the language just chosen.
        language = profile.language or get_language_from_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        messages.success(request, _("Preferences saved."))
        back = request.POST.get("next", "")
        if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            return redirect(back)
        return redirect("preferences")
    status = 400 if form.errors else 200
    return render(request, "web/preferences.html", {"form": form, "page": "preferences"}, status=status)
