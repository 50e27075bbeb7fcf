"""What every page view shares: flash messages, the staff-only guard, choosing the site."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_htmx.http import HttpResponseClientRedirect, reswap, retarget

from timetill.accounts.services import profile_of
from timetill.errors import TimetillError
from timetill.sites.models import Site
from timetill.timelines.models import Scan
from timetill.timelines.services.scan import ScanResult

NO_TRACK_TIME = gettext_lazy(
    "You do not have the right “track_time”: ask a manager to let you use the Timestamp page."
)


@dataclass(frozen=True)
class Flash:
    """A message shown under the scan field: ok (green), warn (amber) or error (red)."""

    kind: str
    text: str
    # Where to go next, e.g. the sale a check-out was priced on: a "Pay" button beside the text.
    link_url: str = ""
    link_label: str = ""

    @classmethod
    def of_error(cls, error: TimetillError) -> "Flash":
        return cls("error", error.message)

    @classmethod
    def of_scan(cls, result: ScanResult) -> "Flash":
        return cls("warn" if result.outcome == Scan.Outcome.BOUNCED else "ok", result.message)


def right_required(
    right: str, message: str, *, htmx_denied: Callable[[HttpRequest, str], HttpResponse]
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """A page guard: log in first (the whole page, even from an htmx request); without `right`, the 403 page
    with `message`, or inside a page (an htmx request) what `htmx_denied` answers."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:  # noqa: ANN002, ANN003
            if not request.user.is_authenticated:
                if request.htmx:
                    # A session that ran out while the page was open: send the whole page to the login form.
                    back_to = request.htmx.current_url_abs_path or request.get_full_path()
                    return HttpResponseClientRedirect(redirect_to_login(back_to).url)
                return redirect_to_login(request.get_full_path())
            if not request.user.has_perm(f"accounts.{right}"):
                if request.htmx:
                    return htmx_denied(request, message)
                raise PermissionDenied(message)
            return view(request, *args, **kwargs)

        return guarded

    return decorator


def _denied_in_flash(request: HttpRequest, message: str) -> HttpResponse:
    """The refusal as the red message under the scan field."""
    response = render(request, "web/_flash.html", {"flash": Flash("error", message)}, status=403)
    return reswap(retarget(response, "#flash"), "outerHTML")


track_time_required = right_required("track_time", NO_TRACK_TIME, htmx_denied=_denied_in_flash)


LAST_SITE = "timetill_last_site"  # the session key of the site a desk last worked at


def choose_site(request: HttpRequest, slug: str | None) -> Site:
    """The site named in the request, else the one this desk last worked at, else the user's own site,
    else the first one. A desk that switched to the daycare stays there on its next visit."""
    if slug:
        site = Site.objects.filter(slug=slug).first()
        if site is None:
            raise Http404(_("There is no site “%(slug)s”.") % {"slug": slug[:50]})
        if request.session.get(LAST_SITE) != site.pk:
            request.session[LAST_SITE] = site.pk
        return site
    last = request.session.get(LAST_SITE)
    site = Site.objects.filter(pk=last).first() if isinstance(last, int) else None
    site = site or profile_of(request.user).default_site or Site.objects.order_by("name").first()
    if site is None:
        raise Http404(_("No site is set up yet: a manager creates one in the back office."))
    return site
