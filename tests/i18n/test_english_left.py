"""No page shows an English message that has a translation: the demo is loaded, each of its people reads
every page reachable from their home page (links followed, GET only) in French and in Italian, and the
text of each page (tags stripped, each piece of text whole, and the labels of its attributes) is compared
with the catalogue's messages whose translation differs from the English. Each match is a text the code
shows without translating it (a missing gettext, a name stored in English, a message read too early)."""

import re
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
import time_machine
from babel.messages.pofile import read_po
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from tests.conftest import paris
from timetill.catalogs import LOCALE_DIR
from timetill.invoicing.models import Invoice
from timetill.sales.models import Sale
from timetill.sales.payments import PaymentSpec
from timetill.sales.services import close_sale, resume
from timetill.timelines.actors import Actor
from timetill.timelines.models import TimeLine, Via

pytestmark = pytest.mark.django_db
# The demo's people: a coworking's cashier, the manager, a parent of the daycare, the daycare's office.
PEOPLE = ["cashier", "demo", "parent", "office"]
LANGUAGES = ["fr", "it"]
MOST_PAGES = 150
# Not pages to read: the admin (Django's own catalogue), the API, files, leaving, switching language.
SKIPPED = re.compile(
    r"^/(admin|api|i18n|static|logout|accounts/logout)\b|\.(pdf|csv|json|xml|zip)$|/download\b"
)
ATTRIBUTES = {"title", "placeholder", "aria-label", "alt", "data-confirm"}
# Words shown as code, not as language.
NOT_TEXT = {"script", "style", "code", "pre", "kbd", "samp"}
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]+\}")


class _Page(HTMLParser):
    """The pieces of text of a page (each text node and each label attribute, whitespace made single), each
    with the language of its element (a receipt in its customer's language on a cashier's page), and its
    links."""

    def __init__(self, language: str):
        super().__init__(convert_charrefs=True)
        self.texts: list[tuple[str, str]] = []
        self.links: list[str] = []
        self._skipping = 0
        # [tag, language, how many of the same tag are open inside it]
        self._languages: list[list] = [["", language, 0]]

    def _add(self, text: str) -> None:
        text = " ".join(text.split())
        if text:
            self.texts.append((text, self._languages[-1][1]))

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == self._languages[-1][0]:
            self._languages[-1][2] += 1
        if attributes.get("lang"):
            self._languages.append([tag, attributes["lang"], 0])
        if tag in NOT_TEXT:
            self._skipping += 1
        for name, value in attrs:
            if name in ATTRIBUTES and value:
                self._add(value)
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        if tag == "input" and attributes.get("type") in ("submit", "button") and attributes.get("value"):
            self._add(attributes["value"])

    def handle_endtag(self, tag):
        if tag in NOT_TEXT and self._skipping:
            self._skipping -= 1
        if len(self._languages) > 1 and tag == self._languages[-1][0]:
            if self._languages[-1][2]:
                self._languages[-1][2] -= 1
            else:
                self._languages.pop()

    def handle_data(self, data):
        if not self._skipping:
            self._add(data)


def _english_messages(language: str) -> tuple[set[str], list[tuple[re.Pattern, str]]]:
    """The catalogue's messages whose translation is another text: plain ones as they are, and those with
    placeholders as patterns (a placeholder matches any text) when their own words say enough."""
    with (LOCALE_DIR / language / "LC_MESSAGES" / "django.po").open("rb") as po:
        catalogue = read_po(po, locale=language)
    plain, patterns = set(), []
    # A text that is itself a translation is the language's word ("Payer", to pay), not an English one.
    translated = {
        " ".join(string.split())
        for message in catalogue
        for string in (message.string if isinstance(message.string, tuple) else (message.string,))
    }
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for english in ids:
            english = " ".join(english.split())
            if english in strings or not re.search(r"[A-Za-z]{2}", english):
                continue
            if not PLACEHOLDER.search(english):
                if english not in translated:
                    plain.add(english.replace("%%", "%"))
                continue
            words = PLACEHOLDER.sub(" ", english)
            # "%(name)s (%(rate)s %%)" would match anything: only sentences with words of their own.
            if len(re.findall(r"[A-Za-z]{3,}", words)) >= 2:
                parts = [re.escape(part.replace("%%", "%")) for part in PLACEHOLDER.split(english)]
                patterns.append((re.compile(".+?".join(parts)), english))
    return plain, patterns


def _shape(address: str) -> str:
    """A page's kind: its address with the numbers taken out, and the names of its query's fields."""
    parts = urlsplit(address)
    return re.sub(r"\d+", "N", parts.path) + "?" + ",".join(sorted(re.findall(r"([^&=]+)=", parts.query)))


def _read(client, start: list[str], language: str) -> dict[str, list[tuple[str, str]]]:
    """Every kind of page reachable from `start` through links (two of each: customer 1 and 2, not all of
    them), as its pieces of text."""
    pages, queue, shapes = {}, list(start), {}
    while queue and len(pages) < MOST_PAGES:
        address = queue.pop(0)
        if address in pages or shapes.get(_shape(address), 0) >= 2:
            continue
        shapes[_shape(address)] = shapes.get(_shape(address), 0) + 1
        answer = client.get(address)
        if answer.status_code in (301, 302):
            queue.insert(0, answer["Location"])
            pages[address] = []
            continue
        if answer.status_code != 200 or not answer.get("Content-Type", "").startswith("text/html"):
            pages[address] = []
            continue
        parser = _Page(language)
        parser.feed(answer.content.decode())
        pages[address] = parser.texts
        for link in parser.links:
            link = urldefrag(link).url
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or not parts.path.startswith("/") or SKIPPED.search(parts.path):
                continue
            if link not in pages and link not in queue:
                queue.append(link)
    return pages


NOW = paris(2026, 11, 18, 10, 30)  # a Wednesday


@pytest.fixture
def demo():
    """The demo, and its parked sale paid in cash, so that a receipt is among the pages."""
    with time_machine.travel(NOW, tick=False):
        call_command("demo")
        manager = Actor.for_user(get_user_model().objects.get(username="demo"), via=Via.MANUAL)
        sale = Sale.objects.get(state=Sale.State.PARKED)
        resume(sale_id=sale.pk, actor=manager, at=NOW)
        close_sale(sale_id=sale.pk, payments=[PaymentSpec("cash", Decimal(50))], actor=manager, at=NOW)
        yield get_user_model().objects


def _start_pages(person: str) -> list[str]:
    """Where each person starts: the home page, and the pages a script opens (a line's panel, the lists, a
    receipt, an invoice) that no link leads to."""
    pages = ["/"]
    if person in ("cashier", "demo", "office"):
        lines = TimeLine.objects.filter(site__slug="cowork" if person != "office" else "daycare")
        pages += [reverse("timestamp-line", args=[line.pk]) for line in (lines.first(), lines.last()) if line]
        pages.append(reverse("timestamp-lists"))
    if person in ("cashier", "demo"):
        pages.append(reverse("sale-receipt", args=[Sale.objects.get(state=Sale.State.CLOSED).pk]))
    if person in ("demo", "office"):
        pages += [reverse("invoicing-invoice", args=[invoice.pk]) for invoice in Invoice.objects.all()[:3]]
    return pages


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("person", PEOPLE)
def test_no_page_shows_an_english_message_that_has_a_translation(client, demo, person, language):
    user = demo.get(username=person)
    user.profile.language = language
    user.profile.save()
    client.force_login(user)
    messages = {code: _english_messages(code) for code in ("fr", "it")}
    pages = _read(client, _start_pages(person), language)
    names = set(demo.values_list("username", flat=True))  # data, not messages ("parent")
    assert len([texts for texts in pages.values() if texts]) >= 3  # the crawl reached pages
    left = set()
    for address, texts in pages.items():
        for text, its_language in set(texts):
            if text in names or its_language not in messages:
                continue
            plain, patterns = messages[its_language]
            if text in plain:
                left.add((address, text))
            else:
                left.update((address, english) for pattern, english in patterns if pattern.fullmatch(text))
    assert not left, "\n".join(f"{address}: {text}" for address, text in sorted(left))
