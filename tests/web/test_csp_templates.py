"""No template relies on what the Content-Security-Policy refuses: no style attribute, no inline <style> or
<script> without the page's nonce, no inline event handler. The browser tests see what a page does; this
sees every template, also those no browser test opens."""

import re
from pathlib import Path

import pytest

from timetill.svg import for_the_policy

TEMPLATES = sorted((Path(__file__).resolve().parents[2] / "timetill").rglob("templates/**/*.html"))
_TAG = re.compile(r"<(style|script)\b([^>]*)>", re.I)


def _refused(text: str) -> list[str]:
    found = [f"style attribute: {m.group(0)}" for m in re.finditer(r"<[^>]*\sstyle\s*=[^>]*>", text)]
    found += [f"handler: {m.group(0)}" for m in re.finditer(r"<[^>]*\son[a-z]+\s*=[^>]*>", text, re.I)]
    for match in _TAG.finditer(text):
        attributes = match.group(2)
        if "nonce=" not in attributes and "src=" not in attributes and "application/json" not in attributes:
            found.append(f"inline <{match.group(1)}> without the nonce")
    return found


def test_there_are_templates_to_check():
    assert len(TEMPLATES) > 50


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: str(path).split("/timetill/", 1)[-1])
def test_the_template_needs_nothing_the_policy_refuses(template):
    assert not _refused(template.read_text())


def test_the_check_sees_what_the_policy_refuses():
    assert _refused('<p class="hint" style="padding: 0">')
    assert _refused('<button onclick="print()">')
    assert _refused("<style>p { color: red }</style>")
    assert _refused("<script>alert(1)</script>")
    assert not _refused('<script nonce="{{ request.csp_nonce }}">…</script><script src="/s.js"></script>')


def test_library_svg_is_rewritten_for_the_policy():
    svg = '<svg><style>.a{}</style><rect style="fill:black;" width="1"/><script>x()</script></svg>'
    assert for_the_policy(svg, nonce="n0nce") == (
        '<svg><style nonce="n0nce">.a{}</style><rect fill="black" width="1"/></svg>'
    )
