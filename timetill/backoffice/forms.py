"""Forms of the back office: what a manager types, checked at each field in the manager's words."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from timetill.accounts.models import HomePage
from timetill.accounts.rights import RIGHT_LABELS
from timetill.accounts.roles import ROLES
from timetill.accounts.users import PersonSpec
from timetill.customers.models import Code, CustomerGroup
from timetill.sites.models import Site

ROLE_LABELS = {"manager": _("Manager"), "cashier": _("Cashier / educator"), "parent": _("Parent / member")}


class PersonForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("E-mail"), required=False, help_text=_("The invitation to choose a password is sent here.")
    )
    role = forms.ChoiceField(label=_("Role"), choices=[(role, ROLE_LABELS[role]) for role in ROLES])
    rights = forms.MultipleChoiceField(
        label=_("Rights beyond the role"),
        choices=list(RIGHT_LABELS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    default_site = forms.ModelChoiceField(
        label=_("Default site"),
        queryset=Site.objects.order_by("name"),
        required=False,
        empty_label=_("The first site"),
    )
    home_page = forms.ChoiceField(label=_("Home page"), choices=HomePage.choices)
    invite = forms.BooleanField(
        label=_("E-mail an invitation to choose a password"), required=False, initial=True
    )

    def __init__(self, *args, creating: bool, **kwargs) -> None:  # noqa: ANN002, ANN003
        # Not id_…: the top bar's preferences menu has its own home page and site fields on every page.
        kwargs.setdefault("auto_id", "person-%s")
        super().__init__(*args, **kwargs)
        if not creating:
            del self.fields["invite"]

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if not get_user_model().username_validator.regex.match(username):
            raise forms.ValidationError(_("Letters, digits and @ . + - _ only, no spaces."))
        return username

    def clean(self) -> dict:
        data = super().clean()
        if data.get("invite") and not data.get("email"):
            self.add_error("email", _("An invitation needs an e-mail address."))
        return data

    def spec(self) -> PersonSpec:
        data = self.cleaned_data
        return PersonSpec(
            username=data["username"],
            email=data.get("email", ""),
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
            role=data["role"],
            rights=frozenset(data.get("rights") or ()) - set(ROLES[data["role"]]),
            default_site=data.get("default_site"),
            home_page=data["home_page"],
        )


class CustomerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    group = forms.ModelChoiceField(
        label=_("Group"),
        queryset=CustomerGroup.objects.order_by("name"),
        required=False,
        empty_label=_("No group"),
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        kwargs.setdefault("auto_id", "customer-%s")
        super().__init__(*args, **kwargs)


class CodeForm(forms.Form):
    value = forms.CharField(label=_("Code"), max_length=200)  # longer than a code, so the service says why
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("Guess from the code")), *Code.Kind.choices], required=False
    )

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        kwargs.setdefault("auto_id", "code-%s")
        super().__init__(*args, **kwargs)


class GuardianForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("Guardian (a user who may check them in and out)"),
        queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
        empty_label=_("Choose a user"),
    )

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        kwargs.setdefault("auto_id", "guardian-%s")
        super().__init__(*args, **kwargs)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx", ".txt")):
            raise forms.ValidationError(_("Choose a .csv or .xlsx file."))
        return upload
