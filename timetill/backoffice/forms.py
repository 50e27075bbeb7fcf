"""Forms of the back office: what a manager types, checked at each field in the manager's words."""

import zoneinfo

from babel.numbers import list_currencies
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from timetill.accounts.models import HomePage
from timetill.accounts.rights import RIGHT_LABELS
from timetill.accounts.roles import ROLES
from timetill.accounts.users import PersonSpec
from timetill.customers.models import Code, CustomerGroup
from timetill.sites.hours import WEEKDAYS
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
    language = forms.ChoiceField(
        label=_("Language"), choices=[("", _("The browser's language")), *settings.LANGUAGES], required=False
    )
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
            language=data.get("language") or "",
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


DAY_NAMES = [
    _("Monday"),
    _("Tuesday"),
    _("Wednesday"),
    _("Thursday"),
    _("Friday"),
    _("Saturday"),
    _("Sunday"),
]
WINDOWS_PER_DAY = 2  # a morning and an afternoon, as most businesses open


class SiteForm(forms.ModelForm):
    """A site's settings, each checked at its field; opening hours as up to two windows per weekday."""

    class Meta:
        model = Site
        fields = [
            "name", "slug", "time_zone", "currency", "capacity",
            "existing_line_policy", "unknown_code_policy",
            "bounce_seconds", "max_stay_minutes", "max_offline_days", "family_check_in",
        ]  # fmt: skip
        labels = {
            "name": _("Name"),
            "slug": _("Short name (in addresses and the API)"),
            "time_zone": _("Time zone"),
            "currency": _("Currency"),
            "capacity": _("Capacity (places, desks, children)"),
            "existing_line_policy": _("A second scan of someone who is here"),
            "unknown_code_policy": _("A code that belongs to nobody"),
            "bounce_seconds": _("Bounce window (seconds)"),
            "max_stay_minutes": _("Maximum stay (minutes)"),
            "max_offline_days": _("Oldest offline scan accepted (days)"),
            "family_check_in": _("Parents check their children in and out from their phone"),
        }
        help_texts = {
            "slug": "",
            "time_zone": _("An IANA name such as Europe/Paris or Europe/Rome."),
            "currency": _("Three letters, such as EUR or CHF."),
            "bounce_seconds": _("The same code read again within this many seconds is one scan (0: never)."),
            "max_stay_minutes": _("Longer stays are flagged in the pending list; empty: no maximum."),
            "max_offline_days": _("A kiosk that was offline sends its scans later; older ones are refused."),
            "family_check_in": "",
        }

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        kwargs.setdefault("auto_id", "site-%s")
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].widget.attrs["list"] = "time-zones"
        self.fields["currency"].validators = []  # clean_currency says what is wrong in plain words
        # The numbers' bounds, said in the manager's words (before the model's own, generic messages).
        bounds = {
            "capacity": (1, None, _("The capacity is a number of places: 1 or more.")),
            "bounce_seconds": (0, 600, _("The bounce window is 0 to 600 seconds.")),
            "max_stay_minutes": (1, None, _("The maximum stay is 1 minute or more, or empty for none.")),
            "max_offline_days": (1, 366, _("Offline scans are accepted for 1 to 366 days.")),
        }
        for name, (low, high, message) in bounds.items():
            field = self.fields[name]
            field.validators = [MinValueValidator(low, message)]
            if high is not None:
                field.validators.append(MaxValueValidator(high, message))
            field.widget.attrs.pop("min", None)
        hours = (self.instance.opening_hours or {}) if self.instance else {}
        for day in WEEKDAYS:
            windows = list(hours.get(day) or [])
            for n in range(WINDOWS_PER_DAY):
                opens, closes = windows[n] if n < len(windows) else ("", "")
                for part, value in (("opens", opens), ("closes", closes)):
                    self.fields[f"{part}_{day}_{n}"] = forms.TimeField(
                        label=f"{DAY_NAMES[WEEKDAYS.index(day)]} {part}", required=False,
                        initial=value or None,
                        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                    )  # fmt: skip

    def clean_time_zone(self) -> str:
        value = self.cleaned_data["time_zone"].strip()
        if value not in zoneinfo.available_timezones():
            raise forms.ValidationError(
                _("“%(value)s” is not a time zone we know: choose one from the list, such as Europe/Paris.")
                % {"value": value[:64]}
            )
        return value

    def clean_currency(self) -> str:
        value = self.cleaned_data["currency"].strip().upper()
        if value not in list_currencies():
            raise forms.ValidationError(
                _("“%(value)s” is not a currency code, such as EUR.") % {"value": value[:8]}
            )
        return value

    def day_rows(self):
        return [
            (
                DAY_NAMES[i],
                [(self[f"opens_{day}_{n}"], self[f"closes_{day}_{n}"]) for n in range(WINDOWS_PER_DAY)],
            )
            for i, day in enumerate(WEEKDAYS)
        ]

    def clean(self) -> dict:
        data = super().clean()
        hours = {}
        for day in WEEKDAYS:
            windows = []
            for n in range(WINDOWS_PER_DAY):
                opens, closes = data.get(f"opens_{day}_{n}"), data.get(f"closes_{day}_{n}")
                if opens is None and closes is None:
                    continue
                if opens is None or closes is None:
                    where = f"closes_{day}_{n}" if opens else f"opens_{day}_{n}"
                    self.add_error(where, _("Give both times, or neither (closed)."))
                elif opens >= closes:
                    self.add_error(f"closes_{day}_{n}", _("The site must close after it opens."))
                else:
                    windows.append([opens.strftime("%H:%M"), closes.strftime("%H:%M")])
            if len(windows) == 2 and windows[1][0] < windows[0][1] and windows[0][0] < windows[1][1]:
                self.add_error(f"opens_{day}_1", _("The two times of a day overlap."))
            elif windows:
                hours[day] = sorted(windows)
        self.instance.opening_hours = hours
        return data


class DeviceForm(forms.Form):
    name = forms.CharField(label=_("Device name"), max_length=100)

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        kwargs.setdefault("auto_id", "device-%s")
        super().__init__(*args, **kwargs)


class FamilyInviteForm(forms.Form):
    """A payer invited to their family page: the username they log in with, where the link goes."""

    # Not required here: a payer who already logs in keeps their username (else the service asks for one).
    username = forms.CharField(label=_("Username"), max_length=150, required=False)
    email = forms.CharField(label=_("E-mail"), max_length=254, widget=forms.EmailInput())
