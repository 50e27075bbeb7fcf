"""The tariff documentation, shipped inside the package (timetill/pricing/docs/tariffs.md, and its French and
Italian tariffs.fr.md, tariffs.it.md), as a page of the app in its reader's language, and the JSON Schema it
links to."""

from functools import cache
from importlib.resources import files

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from markdown_it import MarkdownIt

from timetill.catalog.views.access import manage_catalog_required
from timetill.pricing.schema import schema_json

# Package data (pyproject.toml [tool.setuptools.package-data]): present in every installed copy. The English
# page is the reference; each translation is a whole page (prose is translated as a text, not as sentences).
DOCS = files("timetill.pricing") / "docs"
TARIFF_DOC = DOCS / "tariffs.md"

# How the page links the schema in the sources (a relative path on GitHub), replaced by the app's address.
SCHEMA_LINK = 'href="../../../docs/tariff.schema.json"'


def tariff_doc(language: str):
    """The page in `language` ("fr", "it"), else the English one."""
    translated = DOCS / f"tariffs.{language}.md"
    return translated if language != "en" and translated.is_file() else TARIFF_DOC


@cache
def rendered_help(schema_url: str, language: str = "en") -> str:
    """The documentation as HTML (only its own text: raw HTML in it is not passed through)."""
    text = tariff_doc(language).read_text("utf-8")
    html = MarkdownIt("commonmark", {"html": False}).enable("table").render(text)
    return html.replace(SCHEMA_LINK, f'href="{schema_url}"')


@manage_catalog_required
def tariff_help(request: HttpRequest) -> HttpResponse:
    html = rendered_help(reverse("bo-tariff-schema"), (get_language() or "en").split("-")[0])
    return render(request, "backoffice/help.html", {"doc": mark_safe(html), "page": "backoffice"})  # noqa: S308


@manage_catalog_required
def tariff_schema(request: HttpRequest) -> HttpResponse:
    """The JSON Schema of tariff documents, generated from the engine's own fields."""
    return HttpResponse(schema_json(), content_type="application/schema+json")
