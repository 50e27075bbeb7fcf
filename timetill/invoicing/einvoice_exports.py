"""A month's e-invoices in one ZIP as a background job (the exports app's machinery): asked for on the
office's month page or the API, written by the tasks worker file by file with its progress on the Export
row, downloadable by its asker only, removed after a day."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _

from timetill.einvoice.formats import ALL
from timetill.errors import NotFound, TimetillError
from timetill.exports.jobs import create_export, run_export
from timetill.exports.models import Export
from timetill.invoicing.einvoices import month_documents, no_einvoice, write_zip, zip_name
from timetill.invoicing.month import Month, parse_month
from timetill.sites.models import Site
from timetill.timelines.actors import Actor

KIND = Export.Kind.EINVOICES_ZIP
EVERY_FORMAT = "all"
FORMATS = (EVERY_FORMAT, *ALL)


def _formats(fmt: str) -> tuple[str, ...]:
    return ALL if fmt == EVERY_FORMAT else (fmt,)


def _asked(export: Export) -> tuple[Site, Month, str]:
    site = Site.objects.filter(pk=export.query.get("site")).first()
    if site is None:
        raise NotFound("unknown_site", _("The site of this export no longer exists."))
    return site, parse_month(export.query.get("month", "")), export.query.get("format", EVERY_FORMAT)


def start_einvoice_export(
    *, user, actor: Actor, site_id: int | None, month: str, fmt: str, at: datetime
) -> Export:
    """Record the ZIP of `month`'s e-invoices of the site in `fmt` (facturx, fatturapa or all), for the worker
    to write; refused, with nothing recorded, for an unknown site or format, a month not ended yet or a month
    without any e-invoice."""
    actor.require("manage_invoicing")
    site = Site.objects.filter(pk=site_id).first() if site_id else None
    if site is None:
        raise NotFound("unknown_site", _("There is no site %(id)s.") % {"id": site_id})
    asked = parse_month(month)
    if fmt not in FORMATS:
        raise NotFound("unknown_format", _("There is no e-invoice format %(format)r.") % {"format": fmt})
    if asked.last >= at.astimezone(site.tz).date():
        raise TimetillError(
            "month_not_ended",
            _("%(month)s has not ended yet: its e-invoices are gathered once it is over.") % {"month": asked},
        )
    if not month_documents(site=site, month_first=asked.first, formats=_formats(fmt)):
        raise no_einvoice()
    name = zip_name(site, asked.first)
    if fmt != EVERY_FORMAT:
        name = name.replace(".zip", f"-{fmt}.zip")
    return create_export(
        user=user,
        kind=KIND,
        query={"site": site.pk, "month": str(asked), "format": fmt},
        at=at,
        file_name=name,
    )


def write_einvoice_export(export_id: int) -> Export:
    """Write the export's ZIP, one e-invoice after another, its progress (files written) on its row."""
    documents: list = []

    def count(export: Export) -> int:
        site, month, fmt = _asked(export)
        documents.extend(month_documents(site=site, month_first=month.first, formats=_formats(fmt)))
        return len(documents)

    def write(export: Export, out, progress) -> int:
        return write_zip(documents, out, progress)

    return run_export(export_id, count=count, write=write)
