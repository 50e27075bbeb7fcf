"""The printable cards page: every code as a QR code, only for staff who track time."""

from tests.conftest import PASSWORD


def test_cards_show_each_code_as_a_qr_code(client, make_customer, cashier):
    make_customer("Ana", codes=[("CARD-1", "text"), ("4006381333931", "ean13")])
    client.login(username=cashier.username, password=PASSWORD)
    response = client.get("/codes/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<svg") == 2
    assert "CARD-1" in html and "4006381333931" in html and "Ana" in html


def test_cards_are_refused_without_track_time(client, make_parent):
    parent = make_parent()
    client.login(username=parent.username, password=PASSWORD)
    assert client.get("/codes/").status_code == 403
    client.logout()
    assert client.get("/codes/").status_code == 302
