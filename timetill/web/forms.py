"""Forms of the web pages: a user's preferences."""

from django import forms

from timetill.accounts.models import HomePage, Profile
from timetill.accounts.services import home_pages_for


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = ["home_page", "default_site"]
        labels = {"home_page": "My home page", "default_site": "My default site"}

    def __init__(self, *args, user, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        # Offer only the pages this user can open.
        self.fields["home_page"].choices = [(page, HomePage(page).label) for page in home_pages_for(user)]
        self.fields["default_site"].empty_label = "The first site"
