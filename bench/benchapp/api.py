"""POST /bench/insert: the scan endpoint's stack (django-ninja, the device token, the same JSON body)
around one INSERT, with no lookups and no policy: the yardstick for what a scan costs on top of the stack."""

from django.http import HttpRequest
from django.utils import timezone
from ninja import NinjaAPI, Schema

from bench.benchapp.models import BareInsert
from timetill.api_common import PEOPLE_AND_DEVICES
from timetill.sales.scan_api import ScanIn

api = NinjaAPI(
    title="Timetill bench",
    version="bench",
    auth=PEOPLE_AND_DEVICES,  # the scan endpoint's: device token, else session
    urls_namespace="bench",
    docs_url=None,
    openapi_url=None,
)


class InsertOut(Schema):
    id: int
    site: str
    code: str


@api.post("/insert", response=InsertOut)
def insert(request: HttpRequest, payload: ScanIn):
    return BareInsert.objects.create(
        site=payload.site,
        code=payload.code,
        client_id=payload.client_id,
        device_time=payload.scanned_at,
        received_at=timezone.now(),
    )
