"""FatturaPA 1.2.2 (FPR12): the official schema checked offline, and what SdI checks beyond it."""

import hashlib
from dataclasses import replace
from decimal import Decimal

import pytest
from lxml import etree

from timetill.einvoice.document import Line, VatGroup
from timetill.einvoice.fatturapa import (
    SCHEMA_DIR,
    FatturaPAInvalid,
    check_fatturapa_xml,
    fatturapa_xml,
    file_name,
    schema,
)

from .conftest import EXEMPT_IT, credit_note, document

NS = {"p": "http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2"}


def _x(xml: bytes, path: str) -> list[str]:
    return [str(v) for v in etree.fromstring(xml).xpath(path, namespaces=NS)]


def test_the_schemas_are_the_official_files_byte_for_byte_and_load_offline():
    digests = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in SCHEMA_DIR.glob("*.xsd")}
    fatturapa = "cedaeece91d7a5334960143f0735ee020e6e94f33685b512f5899eb85c507e18"
    xmldsig = "35cf8197da812c85e40d57891b35c94187569ed474a2dac813ce5090dafcd35c"
    assert digests == {
        "Schema_del_file_xml_FatturaPA_v1.2.2.xsd": fatturapa,
        "xmldsig-core-schema.xsd": xmldsig,
    }
    # xmldsig comes from the package's copy, not xmlschema's own nor the network.
    urls = [s.url for s in schema().maps.iter_schemas() if s.url and "xmldsig" in s.url]
    assert urls and all(str(SCHEMA_DIR) in url for url in urls)


def test_an_invoice_is_td01_fpr12_for_a_private_customer_and_valid():
    xml = fatturapa_xml(document())
    assert not xml.startswith(b"\xef\xbb\xbf")
    assert _x(xml, "/p:FatturaElettronica/@versione") == ["FPR12"]
    assert _x(xml, "//TipoDocumento/text()") == ["TD01"]
    assert _x(xml, "//CodiceDestinatario/text()") == ["0000000"]
    assert _x(xml, "//PECDestinatario/text()") == ["zoe.rossi@pec.example"]
    assert _x(xml, "//CessionarioCommittente//CodiceFiscale/text()") == ["RSSMRA85T10A562S"]
    assert _x(xml, "//NumeroLinea/text()") == ["1", "2"]
    assert _x(xml, "//DettaglioLinee/PrezzoTotale/text()") == ["450.00", "10.00"]
    assert _x(xml, "//DettaglioLinee/PrezzoUnitario/text()") == ["450.00", "20.00"]  # 0.5 × 20.00 = 10.00
    assert _x(xml, "//DatiRiepilogo/Natura/text()") == ["N4"]
    assert _x(xml, "//DatiRiepilogo/RiferimentoNormativo/text()") == ["Esente IVA art. 10 n. 20 DPR 633/72"]
    assert _x(xml, "//DatiRiepilogo/Imposta/text()") == ["0.00", "2.20"]
    assert _x(xml, "//ImportoTotaleDocumento/text()") == ["462.20"]
    # The exempt 450.00 passes 77.47: the virtual stamp duty of 2.00.
    assert _x(xml, "//DatiBollo/BolloVirtuale/text()") == ["SI"]
    assert _x(xml, "//DatiBollo/ImportoBollo/text()") == ["2.00"]
    assert _x(xml, "//IBAN/text()") == ["IT60X0542811101000000123456"]
    # The en dash of the description is written in the Latin-1 characters the schema allows.
    assert _x(xml, "//DettaglioLinee[1]/Descrizione/text()") == ["Retta mensile - dicembre"]
    assert file_name(document()) == "IT00743110157_00001.xml"


def test_no_stamp_duty_up_to_77_47_exempt():
    doc = document(
        lines=(Line(1, "Retta", Decimal(1), Decimal("77.47"), EXEMPT_IT),),
        vat=(VatGroup(EXEMPT_IT, Decimal("77.47"), Decimal(0)),),
        net=Decimal("77.47"),
        tax=Decimal(0),
        gross=Decimal("77.47"),
    )
    assert _x(fatturapa_xml(doc), "//DatiBollo") == []


def test_a_credit_note_is_td04_and_names_its_invoice():
    xml = fatturapa_xml(credit_note())
    assert _x(xml, "//TipoDocumento/text()") == ["TD04"]
    assert _x(xml, "//DatiFattureCollegate/IdDocumento/text()") == ["F2026-000001"]
    assert _x(xml, "//DatiFattureCollegate/Data/text()") == ["2026-12-01"]
    assert _x(xml, "//Causale/text()") == ["Assenza per malattia"]
    assert _x(xml, "//DatiPagamento") == []


def test_two_decimals_everywhere_an_amount_is():
    xml = fatturapa_xml(document())
    for path in ("//PrezzoTotale", "//ImponibileImporto", "//Imposta", "//ImportoPagamento", "//AliquotaIVA"):
        for value in _x(xml, f"{path}/text()"):
            assert len(value.split(".")[1]) == 2, (path, value)


def test_the_schema_refuses_what_it_should():
    xml = fatturapa_xml(document())
    with pytest.raises(FatturaPAInvalid):
        check_fatturapa_xml(xml.replace(b"<CAP>20122</CAP>", b"<CAP>2012</CAP>"))
    with pytest.raises(FatturaPAInvalid, match="byte-order mark"):
        check_fatturapa_xml(b"\xef\xbb\xbf" + xml)
    with pytest.raises(FatturaPAInvalid):
        fatturapa_xml(replace(document(), progressive="00001x0000000"))
