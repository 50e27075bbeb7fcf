"""What each format needs, named when missing; which formats a seller makes."""

from dataclasses import replace

from timetill.einvoice.checks import missing_for, valid_codice_fiscale
from timetill.einvoice.document import postal_parts
from timetill.einvoice.formats import FACTURX, FATTURAPA, formats_of

from .conftest import FR_SELLER, IT_SELLER, ZERO, document


def test_formats_by_country_unless_the_identity_says():
    assert formats_of(FR_SELLER) == (FACTURX,)
    assert formats_of(IT_SELLER) == (FATTURAPA,)
    assert formats_of(replace(FR_SELLER, country="DE")) == ()
    assert formats_of(replace(FR_SELLER, einvoice_formats="fatturapa,facturx")) == (FACTURX, FATTURAPA)
    assert formats_of(replace(IT_SELLER, einvoice_formats="none")) == ()


def test_a_complete_document_misses_nothing():
    assert missing_for(document(), (FACTURX, FATTURAPA)) == []


def test_each_missing_thing_is_named():
    doc = document(seller=replace(IT_SELLER, vat_number=""))
    assert missing_for(doc, (FACTURX,)) == [
        "the seller's VAT number (enter it on the seller's legal identity)"
    ]
    doc = document(buyer=replace(document().buyer, tax_code=""))
    assert missing_for(doc, (FATTURAPA,)) == ["the codice fiscale of Zoé Rossi"]
    assert missing_for(doc, (FACTURX,)) == []
    doc = document(buyer=replace(document().buyer, tax_code="RSSMRA85T10A562X"))
    assert missing_for(doc, (FATTURAPA,)) == [
        "a valid codice fiscale of Zoé Rossi (RSSMRA85T10A562X is not one)"
    ]
    doc = document(buyer=replace(document().buyer, address="Via Verdi 3"))
    assert "postcode" in missing_for(doc, (FATTURAPA,))[0]


def test_a_zero_rate_without_natura_is_named_for_fatturapa():
    doc = document(vat=(document().vat[0].__class__(ZERO, document().vat[0].taxable, document().vat[0].vat),))
    assert missing_for(doc, (FATTURAPA,)) == [
        "the natura (N1…N7) of the 0 % VAT rate “-”, as its exemption code"
    ]


def test_codice_fiscale_and_postal_lines():
    assert valid_codice_fiscale("RSSMRA85T10A562S")
    assert valid_codice_fiscale("00743110157")  # a company's: its partita IVA
    assert not valid_codice_fiscale("RSSMRA85T10A562T")
    postal = postal_parts("Via Roma 1\nScala B\n20121 Milano (mi)")
    assert (postal.lines, postal.postcode, postal.city, postal.province) == (
        ("Via Roma 1", "Scala B"),
        "20121",
        "Milano",
        "MI",
    )
    assert postal_parts("12 rue X\n75011 Paris").city == "Paris"
    assert postal_parts("Somewhere").postcode == ""
