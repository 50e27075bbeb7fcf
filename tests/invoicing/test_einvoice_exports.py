"""A month's e-invoices in one ZIP, as a background job on the reports' export machinery: asked for on the
month's page or the API, written by the tasks worker (the real django-tasks database backend, run as
`db_worker --batch` does) with its progress, read back file by file, downloadable by its asker only; bad
input refused with nothing recorded."""

import io
import json
import zipfile
from xml.etree import ElementTree

import pytest
import time_machine
from django.test import Client
from django_tasks_db.models import DBTaskResult

from timetill.exports import jobs
from timetill.exports.models import Export
from timetill.invoicing.invoices import credit_invoice

from ..conftest import paris
from .conftest import OPERATOR
from .test_einvoice_downloads import issued  # noqa: F401 - the fixture: two invoices and a credit note
from .test_einvoices import ITALIAN, _issue, _make_italian, drafted  # noqa: F401 - drafted is a fixture

DECEMBER = paris(2026, 12, 2, 10)
FACTURX_NAMES = ["facturx/A2026-000001.pdf", "facturx/F2026-000001.pdf", "facturx/F2026-000002.pdf"]


@pytest.fixture(autouse=True)
def exports_dir(settings, tmp_path):
    settings.EXPORTS_DIR = tmp_path / "exports"
    return settings.EXPORTS_DIR


@pytest.fixture
def december():
    with time_machine.travel(DECEMBER, tick=False):
        yield


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(client, capture, path: str, body: dict):
    with capture(execute=True):
        response = client.post(path, json.dumps(body), content_type="application/json")
    return response.status_code, json.loads(response.content)


def _zip(content: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(content))


def test_the_office_asks_for_the_zip_on_the_month_page_sees_it_written_and_downloads_it(
    issued,  # noqa: F811 - the imported fixture
    manager,
    make_user,
    december,
    django_capture_on_commit_callbacks,
    work,
    exports_dir,
):
    durand, _martin = issued
    office = _client(manager)
    month = office.get(f"/invoicing/?site={durand.site.slug}&month=2026-11").content.decode()
    assert 'data-testid="einvoices-zip"' in month and 'action="/invoicing/einvoices/exports/"' in month
    with django_capture_on_commit_callbacks(execute=True):
        response = office.post(
            "/invoicing/einvoices/exports/", {"site": durand.site.slug, "month": "2026-11", "format": "all"}
        )
    export = Export.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/invoicing/einvoices/exports/{export.pk}/"
    assert (export.kind, export.user, export.query) == (
        "einvoices_zip",
        manager,
        {"site": durand.site_id, "month": "2026-11", "format": "all"},
    )
    waiting = office.get(response["Location"]).content.decode()
    assert 'data-state="queued"' in waiting and "hx-get" in waiting and "Waiting for the worker" in waiting
    assert "einvoices-lutins-2026-11.zip" in waiting
    assert office.get(f"/invoicing/einvoices/exports/{export.pk}/download/").status_code == 404
    work()
    done = office.get(f"/invoicing/einvoices/exports/{export.pk}/progress/").content.decode()
    assert 'data-state="done"' in done and "hx-get" not in done and "Ready: 3 e-invoice files." in done
    export.refresh_from_db()
    assert (export.state, export.done_rows, export.total_rows, export.percent) == ("done", 3, 3, 100)
    stored = jobs.path_of(export)
    assert stored.parent == exports_dir / str(manager.pk) and stored.is_file()
    assert export.size == stored.stat().st_size and not list(exports_dir.rglob("*.partial"))
    download = office.get(f"/invoicing/einvoices/exports/{export.pk}/download/")
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    assert 'filename="einvoices-lutins-2026-11.zip"' in download["Content-Disposition"]
    archive = _zip(b"".join(download.streaming_content))
    assert sorted(archive.namelist()) == FACTURX_NAMES
    for name in archive.namelist():
        assert archive.read(name).startswith(b"%PDF"), name
    # The reports' export pages do not serve it, nor another manager: not found for them.
    assert office.get(f"/reports/exports/{export.pk}/").status_code == 404
    assert office.get(f"/api/reports/exports/{export.pk}").status_code == 404
    other = _client(make_user("manager"))
    assert other.get(f"/invoicing/einvoices/exports/{export.pk}/").status_code == 404
    assert other.get(f"/invoicing/einvoices/exports/{export.pk}/download/").status_code == 404


def test_the_api_answers_202_then_the_progress_then_the_zip_for_its_asker_only(
    issued,  # noqa: F811 - the imported fixture
    manager,
    make_user,
    cashier,
    december,
    django_capture_on_commit_callbacks,
    work,
):
    durand, _martin = issued
    office = _client(manager)
    status, body = _post(
        office,
        django_capture_on_commit_callbacks,
        "/api/invoicing/einvoices/exports",
        {"site_id": durand.site_id, "month": "2026-11", "format": "facturx"},
    )
    assert status == 202, body
    assert (body["state"], body["site_id"], body["month"], body["format"]) == (
        "queued",
        durand.site_id,
        "2026-11",
        "facturx",
    )
    assert body["file_name"] == "einvoices-lutins-2026-11-facturx.zip"
    path = f"/api/invoicing/einvoices/exports/{body['id']}"
    not_ready = office.get(f"{path}/file")
    assert (not_ready.status_code, not_ready.json()["code"]) == (409, "export_not_ready")
    assert "Waiting" in not_ready.json()["message"]
    work()
    progress = office.get(path).json()
    assert (progress["state"], progress["done_files"], progress["total_files"], progress["percent"]) == (
        "done",
        3,
        3,
        100,
    )
    response = office.get(f"{path}/file")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert sorted(_zip(b"".join(response.streaming_content)).namelist()) == FACTURX_NAMES
    other = _client(make_user("manager"))
    for address in (path, f"{path}/file"):
        refused = other.get(address)
        assert (refused.status_code, refused.json()["code"]) == (404, "unknown_export")
    assert _client(cashier).get(path).status_code == 403
    assert _client(durand.payer.user).get(f"{path}/file").status_code == 403


def test_a_failed_job_is_recorded_and_its_file_is_never_ready(
    issued,  # noqa: F811 - the imported fixture
    manager,
    december,
    django_capture_on_commit_callbacks,
    work,
):
    durand, _martin = issued
    office = _client(manager)
    status, body = _post(
        office,
        django_capture_on_commit_callbacks,
        "/api/invoicing/einvoices/exports",
        {"site_id": durand.site_id, "month": "2026-11"},
    )
    assert status == 202 and body["format"] == "all"
    # The site goes before the worker gets to it.
    Export.objects.filter(pk=body["id"]).update(query={"site": 987654, "month": "2026-11", "format": "all"})
    work()
    export = Export.objects.get(pk=body["id"])
    assert export.state == "failed" and "no longer exists" in export.error
    assert not jobs.path_of(export).exists() and not jobs.path_of(export).with_suffix(".partial").exists()
    response = office.get(f"/api/invoicing/einvoices/exports/{export.pk}/file")
    assert (response.status_code, response.json()["code"]) == (409, "export_not_ready")
    page = office.get(f"/invoicing/einvoices/exports/{export.pk}/progress/").content.decode()
    assert 'data-state="failed"' in page and "hx-get" not in page and "could not be written" in page


@pytest.mark.parametrize(
    ("at", "body", "status", "code", "words"),
    [
        (paris(2026, 11, 20, 10), {"month": "2026-11"}, 400, "month_not_ended", "has not ended yet"),
        (DECEMBER, {"month": "2026-10"}, 404, "no_einvoice", "No e-invoice was issued this month"),
        (DECEMBER, {"month": "2026-13"}, 400, "invalid_month", "is not a month"),
        (DECEMBER, {"month": "2026-11", "site_id": 987654}, 404, "unknown_site", "no site 987654"),
        (DECEMBER, {"month": "2026-11", "format": "ubl"}, 422, "invalid_input", "Format must be one of"),
    ],
)
def test_bad_input_is_refused_in_clear_words_and_nothing_is_recorded(
    issued,  # noqa: F811 - the imported fixture
    manager,
    django_capture_on_commit_callbacks,
    at,
    body,
    status,
    code,
    words,
):
    durand, _martin = issued
    office = _client(manager)
    with time_machine.travel(at, tick=False):
        answer = _post(
            office,
            django_capture_on_commit_callbacks,
            "/api/invoicing/einvoices/exports",
            {"site_id": durand.site_id, **body},
        )
        assert (answer[0], answer[1]["code"]) == (status, code)
        assert words in answer[1]["message"]
        # The page says the same on the month's page.
        if code != "invalid_input" and "site_id" not in body:
            with django_capture_on_commit_callbacks(execute=True):
                response = office.post(
                    "/invoicing/einvoices/exports/",
                    {"site": durand.site.slug, "month": body["month"]},
                    follow=True,
                )
            assert words in response.content.decode()
    assert Export.objects.count() == 0 and DBTaskResult.objects.count() == 0


def test_the_zip_of_an_italian_month_holds_both_formats_each_file_readable(
    drafted,  # noqa: F811 - the imported fixture
    manager,
    december,
    django_capture_on_commit_callbacks,
    work,
):
    draft = drafted(**ITALIAN)
    _make_italian(draft)
    invoice = _issue(draft)
    credit_invoice(invoice_id=invoice.pk, reason="Malattia", actor=OPERATOR, at=paris(2026, 11, 5, 10))
    office = _client(manager)
    status, body = _post(
        office,
        django_capture_on_commit_callbacks,
        "/api/invoicing/einvoices/exports",
        {"site_id": invoice.site_id, "month": "2026-11", "format": "all"},
    )
    assert status == 202, body
    work()
    response = office.get(f"/api/invoicing/einvoices/exports/{body['id']}/file")
    archive = _zip(b"".join(response.streaming_content))
    assert sorted(archive.namelist()) == [
        "facturx/A2026-000001.pdf",
        "facturx/F2026-000001.pdf",
        "fatturapa/IT00743110157_00001.xml",
        "fatturapa/IT00743110157_00002.xml",
    ]
    for name in archive.namelist():
        content = archive.read(name)
        if name.endswith(".pdf"):
            assert content.startswith(b"%PDF"), name
        else:
            root = ElementTree.fromstring(content)
            assert root.tag.endswith("FatturaElettronica"), name
    assert b"<TipoDocumento>TD04</TipoDocumento>" in archive.read("fatturapa/IT00743110157_00002.xml")
    progress = office.get(f"/api/invoicing/einvoices/exports/{body['id']}").json()
    assert (progress["done_files"], progress["total_files"]) == (4, 4)
