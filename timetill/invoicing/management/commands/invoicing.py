"""`timetill invoicing run|issue|send|export --month 2026-11`: the monthly run (with a progress line),
issuing and e-mailing a month, and the invoices as CSV or their e-invoices as a ZIP (`--format`)."""

import csv
import io
import sys
import zipfile

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from timetill.billing.money import rounded
from timetill.einvoice.formats import ALL
from timetill.errors import TimetillError
from timetill.invoicing.einvoices import month_zip
from timetill.invoicing.invoices import issue_month, payment_state
from timetill.invoicing.models import Invoice
from timetill.invoicing.month import parse_month
from timetill.invoicing.run import run_month
from timetill.invoicing.sending import send_month
from timetill.sites.models import Site
from timetill.timelines.actors import Actor


def site_of(slug: str | None) -> Site:
    """The site named, or the only site with families when none is."""
    if slug:
        site = Site.objects.filter(slug=slug).first()
        if site is None:
            known = ", ".join(Site.objects.values_list("slug", flat=True)) or _("none yet")
            raise CommandError(
                _("There is no site “%(site)s” (sites: %(known)s).") % {"site": slug, "known": known}
            )
        return site
    sites = list(Site.objects.filter(families__isnull=False).distinct())
    if len(sites) != 1:
        raise CommandError(
            _("Say which site with --site (%(sites)s).")
            % {"sites": ", ".join(s.slug for s in sites) or _("no family yet")}
        )
    return sites[0]


class Command(BaseCommand):
    help = "The daycare's monthly invoicing: run (or refresh) a month's drafts."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="command", required=True)
        run = commands.add_parser("run", help="Draft or refresh the invoices of a month.")
        run.add_argument("--month", required=True, help="The month to invoice, YYYY-MM (e.g. 2026-11).")
        run.add_argument("--site", help="The site's slug (default: the only site with families).")
        for name, text in (
            ("issue", "Issue every draft of a month."),
            ("send", "E-mail a month's issued invoices."),
        ):
            sub = commands.add_parser(name, help=text)
            sub.add_argument("--month", required=True, help="YYYY-MM")
            sub.add_argument("--site")
        export = commands.add_parser("export", help="The invoices of a month as CSV, one row per invoice.")
        export.add_argument("--month", required=True, help="YYYY-MM")
        export.add_argument("--site")
        export.add_argument(
            "--output", help="A file to write (default: the standard output; a ZIP: its name)."
        )
        export.add_argument(
            "--format",
            choices=("csv", *ALL, "zip"),
            default="csv",
            help="csv (default); facturx or fatturapa: that format's e-invoices in a ZIP; zip: every format.",
        )

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

    def _issue(self, options):
        site = site_of(options["site"])
        result = issue_month(
            site_id=site.pk, month=parse_month(options["month"]), actor=Actor.operator(), at=timezone.now()
        )
        for invoice in result.issued:
            self.stdout.write(
                f"issued {invoice.number}: {invoice.payer.name}, {rounded(invoice.gross, invoice.currency)} "
                f"{invoice.currency}"
            )
        for invoice, why in result.refused:
            self.stdout.write(f"still a draft: {invoice.payer.name}: {why}")
        self.stdout.write(f"{len(result.issued)} issued, {len(result.refused)} left as drafts")

    def _send(self, options):
        site = site_of(options["site"])
        result = send_month(
            site_id=site.pk, month=parse_month(options["month"]), actor=Actor.operator(), at=timezone.now()
        )
        for sending in result.sent:
            self.stdout.write(f"sent {sending.invoice.number} to {sending.to}")
        for invoice, why in result.refused:
            self.stdout.write(f"not sent {invoice.number}: {why}")

    def _export(self, options):
        site = site_of(options["site"])
        month = parse_month(options["month"])
        if options["format"] != "csv":
            formats = ALL if options["format"] == "zip" else (options["format"],)
            name, content = month_zip(site=site, month_first=month.first, formats=formats)
            path = options["output"] or name
            with open(path, "wb") as out:
                out.write(content)
            count = len(zipfile.ZipFile(io.BytesIO(content)).namelist())
            self.stdout.write(f"{count} e-invoice file(s) of {month} written to {path}")
            return
        invoices = (
            Invoice.objects.filter(site=site, month=month.first)
            .select_related("family", "payer")
            .order_by("number", "family__name", "pk")
        )
        out = open(options["output"], "w", newline="", encoding="utf-8") if options["output"] else sys.stdout  # noqa: SIM115
        try:
            writer = csv.writer(out)
            writer.writerow(
                [
                    "number",
                    "state",
                    "issue_date",
                    "due_date",
                    "family",
                    "payer",
                    "tax_code",
                    "net",
                    "vat",
                    "gross",
                    "currency",
                    "payment_state",
                ]
            )
            for invoice in invoices:
                writer.writerow(
                    [
                        invoice.number or "",
                        invoice.state,
                        invoice.issue_date or "",
                        invoice.due_date or "",
                        invoice.family.name,
                        invoice.buyer_name or invoice.payer.name,
                        invoice.buyer_tax_code or invoice.payer.tax_code,
                        rounded(invoice.net, invoice.currency),
                        rounded(invoice.vat, invoice.currency),
                        rounded(invoice.gross, invoice.currency),
                        invoice.currency,
                        payment_state(invoice),
                    ]
                )
        finally:
            if out is not sys.stdout:
                out.close()
