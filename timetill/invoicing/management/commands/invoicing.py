"""`timetill invoicing run --month 2026-11`: the monthly run from the shell, with a progress line."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from timetill.errors import TimetillError
from timetill.invoicing.month import parse_month
from timetill.invoicing.run import run_month
from timetill.sites.models import Site
from timetill.timelines.actors import Actor


def site_of(slug: str | None) -> Site:
    """The site named, or the only site with families when none is."""
    if slug:
        site = Site.objects.filter(slug=slug).first()
        if site is None:
            known = ", ".join(Site.objects.values_list("slug", flat=True)) or "none yet"
            raise CommandError(f'There is no site "{slug}" (sites: {known}).')
        return site
    sites = list(Site.objects.filter(families__isnull=False).distinct())
    if len(sites) != 1:
        raise CommandError(
            "Say which site with --site (" + (", ".join(s.slug for s in sites) or "no family yet") + ")."
        )
    return sites[0]


class Command(BaseCommand):
    help = "The daycare's monthly invoicing: run (or refresh) a month's drafts."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="command", required=True)
        run = commands.add_parser("run", help="Draft or refresh the invoices of a month.")
        run.add_argument("--month", required=True, help="The month to invoice, YYYY-MM (e.g. 2026-11).")
        run.add_argument("--site", help="The site's slug (default: the only site with families).")

    def handle(self, *args, **options):
        try:
            getattr(self, "_" + options["command"])(options)
        except TimetillError as error:
            raise CommandError(f"{error.message} [{error.code}]") from error

    def _run(self, options):
        site = site_of(options["site"])
        month = parse_month(options["month"])

        def progress(done: int, total: int) -> None:
            # One line rewritten in place on a terminal; every 10 % on a log.
            if self.stdout.isatty() or done == total or done % max(1, total // 10) == 0:
                end = "\r" if self.stdout.isatty() and done < total else "\n"
                self.stdout.write(
                    f"{month}: {done}/{total} families ({100 * done // max(total, 1)} %)", ending=end
                )
                self.stdout.flush()

        summary = run_month(
            site_id=site.pk, month=month, actor=Actor.operator(), at=timezone.now(), progress=progress
        )
        self.stdout.write(
            f"{summary.month} at {site.name}: {summary.families} families, "
            f"{summary.invoices} draft invoices, total {summary.total} {summary.currency}, "
            f"{summary.to_review} line(s) to review"
        )
        for warning in summary.warnings:
            self.stdout.write(f"  to review: {warning}")
