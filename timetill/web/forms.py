"""Forms of the web pages: a user's preferences."""

from django import forms

from timetill.accounts.models import HomePage, Profile


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = ["home_page", "default_site"]
        labels = {"home_page": "My home page", "default_site": "My default site"}

    def __init__(self, *args, user, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        # Offer only the pages this user can open.
        choices = [(HomePage.FAMILY.value, HomePage.FAMILY.label)]
        if user.has_perm("accounts.track_time"):
            choices.insert(0, (HomePage.TIMESTAMP.value, HomePage.TIMESTAMP.label))
        if user.is_staff:
            choices.append((HomePage.ADMIN.value, HomePage.ADMIN.label))
        self.fields["home_page"].choices = choices
        self.fields["default_site"].empty_label = "The first site"
