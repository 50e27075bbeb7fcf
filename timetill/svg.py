"""Inline SVG made by libraries (barcodes, charts), rewritten to pass the pages' Content-Security-Policy."""

import re

_STYLE_ATTRIBUTE = re.compile(r'\sstyle="([^"]*)"')
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.S)
_STYLE_ELEMENT = re.compile(r"<style\b")


def _as_presentation_attributes(match: re.Match) -> str:
    # `fill`, `opacity`, `font-size`, `text-anchor`…: SVG's presentation attributes, which the policy
    # allows, say what a style attribute (refused) said, with the same names.
    pairs = [part.split(":", 1) for part in match.group(1).split(";") if ":" in part]
    return "".join(f' {name.strip()}="{value.strip()}"' for name, value in pairs)


def for_the_policy(svg: str, *, nonce: str = "") -> str:
    """`svg` without style attributes (as presentation attributes) or scripts (the page refuses them both),
    its <style> elements given the page's nonce."""
    svg = _STYLE_ATTRIBUTE.sub(_as_presentation_attributes, _SCRIPT.sub("", svg))
    return _STYLE_ELEMENT.sub(f'<style nonce="{nonce}"', svg) if nonce else svg
