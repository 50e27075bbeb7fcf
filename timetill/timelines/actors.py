"""Who is acting (a person, a parent, a device) and what they may do: checked once, in the services."""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils.translation import gettext as _

from timetill.accounts.rights import RIGHT_LABELS
from timetill.customers.models import Customer, Guardian
from timetill.errors import Forbidden
from timetill.sites.models import Device, Site
from timetill.timelines.models import Via


@dataclass(frozen=True)
class Actor:
    user: AbstractBaseUser | None = None
    device: Device | None = None
    via: str = Via.MANUAL
    system: bool = False  # the operator at the shell (`timetill scan`): trusted, but recorded as nobody

    @classmethod
    def operator(cls) -> "Actor":
        return cls(via=Via.MANUAL, system=True)

    @classmethod
    def for_user(cls, user: AbstractBaseUser | AnonymousUser, *, via: str = Via.MANUAL) -> "Actor":
        if not user.is_authenticated:
            raise Forbidden("not_authenticated", _("Please log in."), status=401)
        return cls(user=user, via=via)

    @classmethod
    def for_device(cls, device: Device) -> "Actor":
        return cls(device=device, via=Via.DEVICE)

    def has_right(self, right: str) -> bool:
        if self.system:
            return True
        if self.device is not None:
            # A device scans at its site and nothing else.
            return right == "track_time"
        return self.user is not None and self.user.has_perm(f"accounts.{right}")

    @property
    def is_guardian_only(self) -> bool:
        """A parent without track_time acts only on their own children."""
        return self.device is None and not self.has_right("track_time")

    def customer_ids(self) -> set[int] | None:
        """The customers this actor may touch, or None for all of them."""
        if not self.is_guardian_only:
            return None
        return set(Guardian.objects.filter(user=self.user).values_list("customer_id", flat=True))

    def require(self, right: str) -> None:
        if not self.has_right(right):
            raise Forbidden(
                "forbidden",
                # The right's label as the back office shows it, quoted whole: a translated label is never
                # lowercased or cut into a sentence of another language.
                _("You do not have the right “%(label)s” (%(right)s).")
                % {"right": right, "label": RIGHT_LABELS.get(right, right)},
            )

    def require_site(self, site: Site) -> None:
        if self.device is not None and self.device.site_id != site.pk:
            raise Forbidden(
                "wrong_site", _("This device scans at %(site)s only.") % {"site": self.device.site.name}
            )
        if self.is_guardian_only and not site.family_check_in:
            # A daycare child is never checked in at the coworking by a parent's phone.
            raise Forbidden(
                "not_a_family_site",
                _("Children are not checked in and out by their parents at %(site)s.") % {"site": site.name},
            )

    @property
    def client_scope(self) -> str:
        """Who a scan's client id belongs to: the device or the person who made it."""
        if self.device is not None:
            return f"device:{self.device.pk}"
        if self.user is not None:
            return f"user:{self.user.pk}"
        return "operator"

    def may_see_site(self, site_id: int) -> bool:
        """A device sees its own site only; people see every site (a parent only their children's lines)."""
        return self.device is None or self.device.site_id == site_id

    def require_customer(self, customer: Customer | None) -> None:
        """Staff may touch anyone; a parent only their own children (and never an anonymous line)."""
        allowed = self.customer_ids()
        if allowed is None:
            return
        if customer is None or customer.pk not in allowed:
            raise Forbidden(
                "not_your_child", _("You can only check in and out the children you are a guardian of.")
            )

    def audit_fields(self) -> dict:
        """Who acted, for an audit entry: the references, and their names now (kept as they were)."""
        return {
            "user": self.user,
            "device": self.device,
            "user_name": self.user.get_username() if self.user is not None else "",
            "device_name": self.device.name if self.device is not None else "",
        }
