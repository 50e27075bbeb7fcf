"""The tariff documentation (docs/tariffs.md) as a page of the app, for whoever writes tariffs."""

from functools import cache
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt

from timetill.catalog.views.access import manage_catalog_required

TARIFF_DOC = Path(settings.BASE_DIR).parent / "docs" / "tariffs.md"


@cache
def _rendered(path: Path, mtime: float) -> str:
    # "html": False: the documentation's own text only, never raw HTML passed through.
    return MarkdownIt("commonmark", {"html": False}).enable("table").render(path.read_text(encoding="utf-8"))


@manage_catalog_required
def tariff_help(request: HttpRequest) -> HttpResponse:
    if not TARIFF_DOC.is_file():
        raise Http404("The tariff documentation is not installed with this copy of Timetill.")
    html = _rendered(TARIFF_DOC, TARIFF_DOC.stat().st_mtime)
    return render(request, "backoffice/help.html", {"doc": mark_safe(html), "page": "backoffice"})  # noqa: S308
