"""docs/api.md names every error code the API can answer, and its curl example is a valid scan."""

import json
import re
import shlex
from datetime import datetime, timedelta
from pathlib import Path

import time_machine

from timetill.api import api
from timetill.api_openapi import documented_codes

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "api.md").read_text()
SOURCES = [
    "timetill/api.py",
    "timetill/api_common.py",
    "timetill/timelines/actors.py",
    "timetill/timelines/services/scan.py",
    "timetill/timelines/services/lines.py",
    "timetill/timelines/services/clock.py",
    "timetill/customers/codes.py",
    "timetill/customers/services.py",
    "timetill/customers/api.py",
    "timetill/sites/services.py",
    "timetill/sites/api.py",
    "timetill/timelines/api.py",
    "timetill/sales/scan_api.py",
    "timetill/invoicing/einvoice_api.py",
    "timetill/invoicing/einvoices.py",
    "timetill/invoicing/edocuments.py",
    "timetill/einvoice/checks.py",
]
# An error class or code= followed by the code string.
_RAISED = re.compile(
    r'(?:Error|Forbidden|NotFound|Conflict|_error)\(\s*(?:request,\s*\d+,\s*)?"([a-z_]+)"|code="([a-z_]+)"'
)


def test_every_error_code_is_documented():
    codes = set()
    for source in SOURCES:
        for match in _RAISED.finditer((ROOT / source).read_text()):
            codes.add(match.group(1) or match.group(2))
    assert {"invalid_ean", "revoked_token", "wrong_site", "not_your_child", "naive_time"} <= codes
    # Those of them that some operation answers (a group's codes are the back office's only); that every
    # code the description lists is in the docs is tests/api/test_http_errors.py's.
    schema = api.get_openapi_schema(path_prefix="/api/")
    answered = {
        code
        for operations in schema["paths"].values()
        for operation in operations.values()
        for listed in documented_codes(operation).values()
        for code in listed
    }
    codes &= answered
    missing = sorted(code for code in codes if f"`{code}`" not in DOC)
    assert not missing


def test_the_curl_example_sends_a_valid_scan(api_device, site, make_device, make_customer):
    example = re.search(r"```sh\n(curl .*?/api/scans.*?)```", DOC, re.S).group(1)
    words = shlex.split(example.replace("\\\n", " "))
    body = json.loads(words[words.index("-d") + 1])
    assert "Authorization: Bearer $TIMETILL_DEVICE_TOKEN" in words
    customer = make_customer(codes=[(body["code"], None)])
    body["site"] = site.slug
    # Synced a minute after the scan: a device's scan older than the site's max_offline_days is refused.
    with time_machine.travel(datetime.fromisoformat(body["scanned_at"]) + timedelta(minutes=1), tick=False):
        status, answer = api_device(make_device(site).token).post("/scans", body)
    assert (status, answer["outcome"], answer["time_line"]["customer_id"]) == (200, "started", customer.pk)
