"""The seller's identity: numbers checked with python-stdnum, nothing saved on bad input, a site's own."""

from dataclasses import replace
from decimal import Decimal

import pytest

from tests.conftest import paris
from timetill.billing.frozen import seller_copy
from timetill.billing.models import SellerIdentity, VatRate
from timetill.billing.seller import InvalidSeller, SellerSpec, save_seller, seller_of
from timetill.billing.vat_rates import add_vat_rate
from timetill.errors import TimetillError

pytestmark = pytest.mark.django_db
AT = paris(2026, 3, 2, 12)
GOOD = SellerSpec(
    legal_name="Ludo Parc SAS",
    address="12 rue des Jeux\n75011 Paris",
    vat_number="fr 40 303 265 045",
    siren="732 829 320",
    siret="732 829 320 00074",
    iban="FR14 2004 1010 0505 0001 3M02 606",
    bic="bnpafrpp",
)


def test_a_valid_identity_is_saved_with_its_numbers_compact(system):
    identity = save_seller(spec=GOOD, site=None, actor=system, at=AT)
    assert (identity.vat_number, identity.siren, identity.siret, identity.iban, identity.bic) == (
        "FR40303265045",
        "732829320",
        "73282932000074",
        "FR1420041010050500013M02606",
        "BNPAFRPP",
    )
    assert identity.scope == "business" and identity.site is None


def test_an_italian_identity_with_codice_fiscale_and_rea(system):
    spec = SellerSpec(
        legal_name="Asilo Nido Srl",
        address="Via Roma 1\n20121 Milano",
        country="it",
        vat_number="IT00743110157",
        codice_fiscale="00743110157",
        rea="mi-1234567",
    )
    identity = save_seller(spec=spec, site=None, actor=system, at=AT)
    assert (identity.country, identity.codice_fiscale, identity.rea) == ("IT", "00743110157", "MI-1234567")


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("vat_number", "FR00303265045", "not a valid EU VAT number"),
        ("vat_number", "XX123", "not a valid EU VAT number"),
        ("iban", "FR1420041010050500013M02605", "not a valid IBAN"),
        ("siren", "732829321", "not a valid SIREN"),
        ("siret", "73282932000075", "not a valid SIRET"),
        ("bic", "BNP", "not a valid BIC"),
        ("codice_fiscale", "RCCMNL83S18D969X", "not a valid codice fiscale"),
        ("rea", "1234567-MI", "province and the number"),
        ("legal_name", "  ", "legal name"),
    ],
)
def test_a_wrong_number_is_refused_at_its_field_and_nothing_is_saved(system, field, value, words):
    spec = SellerSpec(**{**GOOD.__dict__, field: value})
    with pytest.raises(InvalidSeller) as caught:
        save_seller(spec=spec, site=None, actor=system, at=AT)
    assert caught.value.code == "invalid_seller"
    assert list(caught.value.errors) == [field]
    assert words in caught.value.errors[field]
    assert not SellerIdentity.objects.exists()


def test_a_siret_of_another_company_is_refused(system):
    spec = SellerSpec(**{**GOOD.__dict__, "siren": "303265045"})
    with pytest.raises(InvalidSeller) as caught:
        save_seller(spec=spec, site=None, actor=system, at=AT)
    assert caught.value.errors == {"siret": "The SIRET must start with the SIREN."}


def test_a_site_prints_its_own_identity_or_else_the_business(system, site, make_site):
    other = make_site()
    save_seller(spec=GOOD, site=None, actor=system, at=AT)
    own = SellerSpec(legal_name="Parking du Centre SARL", address="1 place X\n69001 Lyon")
    save_seller(spec=own, site=site, actor=system, at=AT)
    assert seller_of(site).legal_name == "Parking du Centre SARL"
    assert seller_of(other).legal_name == "Ludo Parc SAS"


def test_only_managers_change_the_identity(cashier_actor):
    with pytest.raises(TimetillError) as caught:
        save_seller(spec=GOOD, site=None, actor=cashier_actor, at=AT)
    assert (caught.value.code, caught.value.status) == ("forbidden", 403)
    assert not SellerIdentity.objects.exists()


def test_an_exempt_rate_needs_its_reason_and_is_kept_with_it(system):
    count = VatRate.objects.count()
    with pytest.raises(TimetillError) as caught:
        add_vat_rate(name="Daycare", rate="0", category="E", actor=system)
    assert caught.value.code == "exemption_reason_required"
    assert VatRate.objects.count() == count
    rate = add_vat_rate(
        name="Daycare",
        rate="0",
        category="E",
        exemption_reason="Exonération de TVA, art. 261-4-4° du CGI",
        exemption_code="VATEX-EU-132-1I",
        actor=system,
    )
    assert rate.spec.exemption_reason == "Exonération de TVA, art. 261-4-4° du CGI"
    assert rate.spec.rate == Decimal(0)


def test_which_e_invoices_is_a_choice_of_the_identity_copied_onto_documents(system):
    identity = save_seller(
        spec=replace(GOOD, einvoice_formats="facturx,fatturapa"), site=None, actor=system, at=AT
    )
    assert seller_copy(identity, fallback_name="x").einvoice_formats == "facturx,fatturapa"
    with pytest.raises(InvalidSeller) as refused:
        save_seller(spec=replace(GOOD, einvoice_formats="pdf"), site=None, actor=system, at=AT)
    assert refused.value.errors == {"einvoice_formats": "Choose which e-invoices the invoices come with."}
    assert SellerIdentity.objects.get().einvoice_formats == "facturx,fatturapa"
