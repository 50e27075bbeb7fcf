"""Forms of the web pages: a user's preferences."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from timetill.accounts.models import HomePage, Profile
from timetill.accounts.services import home_pages_for


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = ["home_page", "default_site", "language"]
        labels = {
            "home_page": _("My home page"),
            "default_site": _("My default site"),
            "language": _("My language"),
        }

    def __init__(self, *args, user, **kwargs) -> None:  # noqa: ANN002, ANN003
        # Not id_…: a page's own form may have a home page or site field too.
        kwargs.setdefault("auto_id", "pref-%s")
        super().__init__(*args, **kwargs)
        # Offer only the pages this user can open.
        self.fields["home_page"].choices = [(page, HomePage(page).label) for page in home_pages_for(user)]
        self.fields["default_site"].empty_label = _("The first site")
        self.fields["language"].choices = [("", _("The browser's language")), *settings.LANGUAGES]
