"""Factur-X: the invoice PDF made PDF/A-3 with its CII XML embedded (the factur-x package: XSD check, the
attachment with its AFRelationship, the XMP metadata), and the sRGB output intent PDF/A asks for (pikepdf).

The XML is checked against the package's EN 16931 XSD and against the EN 16931 business rules (schematron.py)
before it is embedded: an XML that fails either is never put in a file.
"""

from __future__ import annotations

import io
import logging
from datetime import UTC, datetime, time
from functools import cache

import pikepdf
from facturx import generate_from_binary, get_xml_from_pdf, xml_check_xsd
from PIL import ImageCms

from timetill.einvoice.cii import cii_xml
from timetill.einvoice.document import Document
from timetill.einvoice.schematron import check_business_rules

FILENAME = "factur-x.xml"
LEVEL = "en16931"


class FacturXInvalid(ValueError):
    """The CII XML fails the Factur-X EN 16931 schema."""


@cache
def _srgb_profile() -> bytes:
    """An sRGB ICC profile, made by LittleCMS (Pillow): the colour space the PDF's RGB and grey are in."""
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def check_facturx_xml(xml: bytes) -> None:
    """The XML against the Factur-X EN 16931 XSD, then the EN 16931 business rules; raise on any failure."""
    try:
        xml_check_xsd(xml, flavor="factur-x", level=LEVEL)
    except Exception as error:  # the package raises a bare Exception with the schema's message
        raise FacturXInvalid(str(error)) from error
    check_business_rules(xml)


def facturx_xml(document: Document) -> bytes:
    """The document's CII XML, checked (schema and business rules)."""
    xml = cii_xml(document)
    check_facturx_xml(xml)
    return xml


def _with_output_intent(pdf: bytes) -> bytes:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        profile = pikepdf.Stream(doc, _srgb_profile())
        profile["/N"] = 3
        intent = pikepdf.Dictionary(
            Type=pikepdf.Name.OutputIntent,
            S=pikepdf.Name.GTS_PDFA1,
            OutputConditionIdentifier="sRGB IEC61966-2.1",
            RegistryName="http://www.color.org",
            Info="sRGB IEC61966-2.1",
            DestOutputProfile=doc.make_indirect(profile),
        )
        doc.Root.OutputIntents = pikepdf.Array([doc.make_indirect(intent)])
        out = io.BytesIO()
        doc.save(out, deterministic_id=True)
        return out.getvalue()


def facturx_pdf(pdf: bytes, document: Document) -> bytes:
    """The PDF/A-3 Factur-X file of a document: its PDF with its checked CII XML attached."""
    xml = facturx_xml(document)
    kind = "Credit note" if document.is_credit_note else "Invoice"
    metadata = {
        "author": document.seller.legal_name,
        "keywords": "Factur-X, EN 16931",
        "title": f"{document.seller.legal_name}: {kind} {document.number}",
        "subject": f"Factur-X {kind.lower()} {document.number} dated {document.issue_date:%Y-%m-%d}",
    }
    # The package logs each step at INFO; its XSD check was done above.
    logging.getLogger("facturx").setLevel(logging.WARNING)
    made = generate_from_binary(
        _with_output_intent(pdf),
        xml,
        flavor="factur-x",
        level=LEVEL,
        check_xsd=False,
        pdf_metadata=metadata,
        lang=document.language,
        afrelationship="data",
    )
    return _dated(made, datetime.combine(document.issue_date, time(12), tzinfo=UTC))


def _dated(pdf: bytes, when: datetime) -> bytes:
    """The file dated by its document, not by the clock (the package writes now): the same invoice gives the
    same bytes, whenever it is downloaded."""
    stamp = when.strftime("D:%Y%m%d%H%M%S+00'00'")
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        with doc.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            for key in ("xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate"):
                meta[key] = when.isoformat()
        doc.docinfo["/CreationDate"] = stamp
        doc.docinfo["/ModDate"] = stamp
        for spec in doc.Root.get("/AF", []):
            spec.EF.F.Params.ModDate = pikepdf.String(stamp)
        # The identifier is worked out from the content (qpdf would keep the first half of a random one).
        if "/ID" in doc.trailer:
            del doc.trailer.ID
        out = io.BytesIO()
        doc.save(out, deterministic_id=True)
        return out.getvalue()


def xml_of_pdf(pdf: bytes) -> bytes:
    """The CII XML a Factur-X PDF carries."""
    _name, xml = get_xml_from_pdf(pdf, check_xsd=False)
    return xml
