"""What the browser tests share: screenshots kept in artifacts/ (not in git) to look at, and logging in
through the login form. The `browser` fixture (Chromium through Playwright) is in tests/conftest.py."""

from pathlib import Path

import pytest

from tests.conftest import CHROMIUM, PASSWORD

__all__ = ["ARTIFACTS", "CHROMIUM", "MARKS", "log_in", "settle", "shot"]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
# Browser tests run against the live server, in another thread: they need committed data.
MARKS = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# True once no CSS animation or transition runs (a message fading in, a button's hover): the page at rest.
_AT_REST = "() => document.getAnimations().every((animation) => animation.playState !== 'running')"


def settle(page) -> None:
    """Wait until the page's animations have finished, instead of a fixed pause."""
    page.wait_for_function(_AT_REST)


def shot(page, name: str) -> None:
    """A full-page screenshot in artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")  # else the sticky top bar lands mid-picture
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def log_in(page, base_url: str, username: str, then: str = "/timestamp/") -> None:
    """Log in through the form and land on `then`."""
    page.goto(f"{base_url}/login/?next={then}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}{then}")
