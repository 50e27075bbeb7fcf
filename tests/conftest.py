"""Fixtures shared by the whole suite: a `make_*` factory per model, users per role, a frozen clock."""

import asyncio
import importlib
import itertools
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import connection
from django.utils import translation

from tests.invoicing.triggers import restore_if_lifted
from timetill.accounts.roles import ensure_roles
from timetill.accounts.services import create_user
from timetill.billing.models import VatRate
from timetill.catalogs import compile_catalogues
from timetill.customers.codes import make_ean13
from timetill.customers.models import CustomerGroup, Guardian
from timetill.customers.services import create_customer
from timetill.sites.models import Site
from timetill.sites.services import register_device
from timetill.timelines.actors import Actor
from timetill.timelines.models import Via

VAT_RATES = importlib.import_module("timetill.catalog.migrations.0002_vat_rates").RATES
PARIS = ZoneInfo("Europe/Paris")
PASSWORD = "correct-horse-battery-staple"
CHROMIUM = "/usr/bin/chromium"
_counter = itertools.count(1)

# Tests hash a password for every user they make; production's PBKDF2 (a million rounds, on purpose slow)
# dominated many set-ups. A fast hasher changes no behaviour under test: login and rights work the same.
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Every error the API answers in any test is one its description documents for that operation.
settings.MIDDLEWARE = ["tests.documented_errors.DocumentedErrorsOnly", *settings.MIDDLEWARE]


def pytest_configure(config):
    """The translation catalogues compiled before any test translates a word (Babel: no gettext needed)."""
    compile_catalogues()


def pytest_collection_modifyitems(items):
    """A test that drives Chromium is a browser test, marked or not: the PostgreSQL pass leaves them out."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def _english_by_default():
    """Each test starts in English: a request in French leaves its language active in the thread, as
    Django's LocaleMiddleware does (every request chooses its own)."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def live_server(live_server, django_db_setup, django_db_blocker):
    """Django's live server, and at the end of the run, the database sessions its threads left open.

    A request thread of the live server can end without closing its PostgreSQL connection, which then keeps
    the test database from being dropped ("being accessed by other users"). Production is not concerned:
    gunicorn's workers keep their connection on purpose (CONN_MAX_AGE=None)."""
    yield live_server
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


@pytest.fixture
def login(client):
    """Django's test client, logged in as the given user (page tests)."""

    def log_in(user):
        client.force_login(user)
        return client

    return log_in


@pytest.fixture(scope="session")
def _chromium():
    """One headless Debian Chromium per test process, started by its first browser test and kept: starting
    Playwright's driver and the browser cost more than most browser tests themselves. Each test still gets
    pages in contexts of its own (no cookies, storage or cache shared), closed when it ends."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's Chromium is not installed (make test installs it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    playwright = sync_api.sync_playwright().start()
    launched = _KeptChromium(playwright)
    yield launched
    launched.stop()


class _KeptChromium:
    """Playwright and its Chromium, kept between tests. Playwright's sync API marks its event loop as running
    in this thread between its calls; outside a browser test the loop is unmarked, so that Django's
    async-unsafe guard keeps watching every other test."""

    def __init__(self, playwright) -> None:
        self._playwright = playwright
        self._loop = asyncio.events._get_running_loop()
        self._chromium = None
        self.resume()
        self.pause()

    def resume(self):
        """The loop marked running again, as between two Playwright calls; Chromium started if it is not."""
        asyncio.events._set_running_loop(self._loop)
        if self._chromium is None or not self._chromium.is_connected():
            self._chromium = self._playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
            )
        return self._chromium

    def pause(self) -> None:
        asyncio.events._set_running_loop(None)

    def stop(self) -> None:
        self.resume().close()
        self._playwright.stop()
        asyncio.events._set_running_loop(None)


@pytest.fixture
def browser(_chromium, monkeypatch):
    """Headless Debian Chromium through Playwright (tests/browser.py has the rest of what they share)."""
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls stay synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    watched = CspWatchedBrowser(_chromium.resume())
    try:
        yield watched
        watched.close_contexts()
    finally:
        _chromium.pause()
    # Every page of every browser test works under the Content-Security-Policy: the browser refuses nothing.
    assert not watched.violations, watched.violations


# Each refusal also fires a `securitypolicyviolation` event in the page: told on the console as well, in case
# Chromium's own console message changes its words.
_REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`Content Security Policy violation: ${event.effectiveDirective} refused `
    + `${event.blockedURI || "inline"} (${event.sourceFile || location.href}:${event.lineNumber})`);
});
"""


class CspWatchedBrowser:
    """A Playwright browser whose pages report what the Content-Security-Policy made the browser refuse."""

    def __init__(self, browser) -> None:
        self._browser = browser
        self._contexts: list = []
        self.violations: list[str] = []

    def _watch(self, page) -> None:
        def on_console(message) -> None:
            if "Content Security Policy" in message.text:
                self.violations.append(f"{page.url}: {message.text}")

        page.on("console", on_console)

    def new_page(self, **kwargs):
        page = self._browser.new_page(**kwargs)
        page.add_init_script(_REPORT_VIOLATIONS)
        self._watch(page)
        self._contexts.append(page.context)
        return page

    def new_context(self, **kwargs):
        context = self._browser.new_context(**kwargs)
        context.add_init_script(_REPORT_VIOLATIONS)
        context.on("page", self._watch)
        self._contexts.append(context)
        return context

    def close_contexts(self) -> None:
        """What the test opened closed: the browser itself serves the next test."""
        for context in self._contexts:
            context.close()

    def __getattr__(self, name: str):
        return getattr(self._browser, name)


def paris(*args: int) -> datetime:
    """An aware instant given as Paris wall-clock time."""
    return datetime(*args, tzinfo=PARIS)


def _database_fixture(request) -> str | None:
    """Which database fixture the test uses, if any (transactional ones flush the tables afterwards)."""
    marker = request.node.get_closest_marker("django_db")
    if marker is not None:
        return "transactional_db" if marker.kwargs.get("transaction") else "db"
    if {"transactional_db", "live_server"} & set(request.fixturenames):
        return "transactional_db"
    return "db" if "db" in request.fixturenames else None


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Rows the migrations seed (VAT rates, roles), there even after a transactional test flushed them."""
    kind = _database_fixture(request)
    if kind is None:
        return
    request.getfixturevalue(kind)
    seed_reference_data()


def seed_reference_data() -> None:
    restore_if_lifted()  # the issued-invoice triggers, if the last transactional test lifted them
    ensure_roles()
    for name, rate in VAT_RATES:
        category = "S" if Decimal(rate) else "Z"  # as the billing migration categorised the seeded rates
        VatRate.objects.get_or_create(rate=Decimal(rate), category=category, defaults={"name": name})


@pytest.fixture
def make_site(db):
    def make(**fields) -> Site:
        n = next(_counter)
        fields.setdefault("name", f"Site {n}")
        fields.setdefault("slug", f"site-{n}")
        fields.setdefault("time_zone", "Europe/Paris")
        # Tests travel in time: a site that has existed for years takes stays dated in any of them.
        fields.setdefault("created_at", datetime(2020, 1, 1, tzinfo=UTC))
        return Site.objects.create(**fields)

    return make


@pytest.fixture
def site(make_site) -> Site:
    # Parents check their children in here too (the family tests); make_site's sites do not let them.
    return make_site(name="Front desk", slug="front", family_check_in=True)


@pytest.fixture
def make_customer(db):
    def make(name: str | None = None, *, codes=None, group: str | None = None, ean: bool = True):
        n = next(_counter)
        if codes is None:
            codes = [(make_ean13(f"200{n:09d}"), "ean13")] if ean else []
        grp = CustomerGroup.objects.get_or_create(name=group)[0] if group else None
        return create_customer(name=name or f"Customer {n}", group=grp, codes=codes)

    return make


@pytest.fixture
def make_user(db):
    def make(role: str = "cashier", username: str | None = None, **kwargs):
        return create_user(
            username=username or f"{role}{next(_counter)}", password=PASSWORD, role=role, **kwargs
        )

    return make


@pytest.fixture
def cashier(make_user):
    return make_user("cashier")


@pytest.fixture
def manager(make_user):
    return make_user("manager")


@pytest.fixture
def make_parent(make_user):
    def make(*children):
        user = make_user("parent")
        for child in children:
            Guardian.objects.create(user=user, customer=child)
        return user

    return make


@pytest.fixture
def make_device(db):
    def make(site: Site, name: str = "Kiosk"):
        return register_device(site=site, name=name)

    return make


@pytest.fixture
def cashier_actor(cashier) -> Actor:
    return Actor.for_user(cashier, via=Via.SCAN)


@pytest.fixture
def manager_actor(manager) -> Actor:
    return Actor.for_user(manager, via=Via.MANUAL)
