"""`timetill scan CODE --site SITE`: scan a code from the shell as a reader would; a stop is priced."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from timetill.billing.money import rounded
from timetill.errors import TimetillError
from timetill.sales.stays import scan_and_price
from timetill.sites.models import Site
from timetill.timelines.actors import Actor
from timetill.timelines.models import Via


class Command(BaseCommand):
    help = "Scan a code at a site: starts, stops or shows a time line by the site's policy."

    def add_arguments(self, parser):
        parser.add_argument("code")
        parser.add_argument("--site", required=True, help="The site's slug.")
        parser.add_argument("--user", help="Scan as this user (default: no user, recorded as a manual scan).")
        parser.add_argument("--client-id", help="A client-made id: scanning again with it changes nothing.")

    def handle(self, *args, **options):
        site = Site.objects.filter(slug=options["site"]).first()
        if site is None:
            known = ", ".join(Site.objects.values_list("slug", flat=True)) or _("none yet")
            raise CommandError(
                _("There is no site “%(site)s” (sites: %(known)s).")
                % {"site": options["site"], "known": known}
            )
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(_("There is no user “%(user)s”.") % {"user": options["user"]})
            actor = Actor.for_user(user, via=Via.SCAN)
        else:
            # Whoever runs commands on the server already holds the database; no login to check.
            actor = Actor.operator()
        try:
            result, sale_line = scan_and_price(
                site=site,
                code=options["code"],
                actor=actor,
                at=timezone.now(),
                client_id=options["client_id"],
            )
        except TimetillError as error:
            raise CommandError(f"{error.message} [{error.code}]") from error
        line = result.time_line
        local_start = timezone.localtime(line.start, site.tz)
        self.stdout.write(f"{result.outcome}: {result.message}")
        self.stdout.write(f"  time line {line.code}, since {local_start:%Y-%m-%d %H:%M} ({site.time_zone})")
        if line.end is not None:
            minutes = int((line.end - line.start).total_seconds() // 60)
            stopped = timezone.localtime(line.end, site.tz)
            self.stdout.write(f"  stopped at {stopped:%H:%M}, {minutes // 60} h {minutes % 60:02d}")
        if sale_line is not None:
            currency = sale_line.sale.currency
            amount = rounded(sale_line.gross, currency)
            self.stdout.write(f"  {sale_line.name}: {amount} {currency} on sale {sale_line.sale_id}")
