"""PUT /api/sites/{site}/time-products: an empty body or a wrong value is refused and keeps the pricing;
removing it takes an explicit null."""

import json

import pytest

from timetill.catalog.models import SiteTimeProduct

pytestmark = pytest.mark.django_db


@pytest.fixture
def priced_site(site, time_product):
    SiteTimeProduct.objects.create(site=site, group=None, product=time_product)
    return site


def _put(client, site, body):
    return client.put(
        f"/api/sites/{site.slug}/time-products", json.dumps(body), content_type="application/json"
    )


@pytest.mark.parametrize("body", [{}, {"product": 1}, {"product_id": 0}, {"product_id": "car park"}], ids=str)
def test_an_empty_or_wrong_body_keeps_the_site_s_pricing(login, manager, priced_site, time_product, body):
    response = _put(login(manager), priced_site, body)
    assert response.status_code in (400, 422)
    answer = response.json()
    assert set(answer) >= {"code", "message"}
    assert list(SiteTimeProduct.objects.values_list("product", flat=True)) == [time_product.pk]


def test_an_explicit_null_removes_it(login, manager, priced_site):
    response = _put(login(manager), priced_site, {"product_id": None})
    assert response.status_code == 200
    assert not SiteTimeProduct.objects.exists()
