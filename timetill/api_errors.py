"""Which errors each API operation may answer, by status and code: what the OpenAPI description lists."""

# What every operation may answer, whatever it does.
EVERY_OPERATION = {
    401: "not_authenticated invalid_token revoked_token",
    414: "uri_too_long",
    500: "server_error",
}
# What an operation with body may also answer: the body is read before the endpoint runs (api_body.py).
WITH_BODY = {
    400: "malformed_body duplicate_key",
    413: "body_too_large",
    415: "unsupported_media_type",
    422: "body_not_object invalid_input",
}
WITH_PARAMETERS = {422: "invalid_input"}
# An address whose identifier is not one (`/api/sales/abc`) matches no operation.
WITH_PATH_PARAMETERS = {404: "not_found"}
FOR_PEOPLE_ONLY = {403: "device_not_allowed"}
# A session's unsafe request without its CSRF token.
UNSAFE = {403: "csrf_failed"}

# Each operation's own errors, as "status code code … status code …" (docs/api.md explains every code).
# A new operation gets its row: tests/api/test_http_errors.py fails without it, and the test suite fails
# any answer of an operation that its row does not list (tests/documented_errors.py).
OPERATIONS: dict[str, str] = {
    "GET /api/me": "",
    "POST /api/scans": (
        "400 before_site_existed code_too_long currency_mismatch empty_code end_before_start "
        "invalid_client_id invalid_ean invalid_quote malformed_code not_a_time_product other_site "
        "scan_too_old time_in_future too_many_lines unknown_currency "
        "403 forbidden not_a_family_site not_your_child wrong_site "
        "404 unknown_code unknown_sale unknown_site "
        "409 already_stopped client_id_reused sale_closed still_open "
        "422 naive_time "
        "503 busy"
    ),
    "POST /api/time-lines/{line_id}/assign": (
        "403 forbidden 404 unknown_customer unknown_time_line 409 already_open invoiced sale_closed"
    ),
    "POST /api/time-lines/{line_id}/stop": (
        "400 currency_mismatch end_before_start invalid_quote not_a_time_product too_many_lines "
        "unknown_currency "
        "403 forbidden not_a_family_site "
        "404 unknown_sale unknown_time_line "
        "409 already_stopped sale_closed still_open"
    ),
    "POST /api/time-lines/{line_id}/times": (
        "400 before_site_existed currency_mismatch end_before_start end_required invalid_quote "
        "invalid_reason not_a_time_product reason_required time_in_future too_many_lines unknown_currency "
        "403 forbidden "
        "404 unknown_sale unknown_time_line "
        "409 invoiced sale_closed still_open "
        "422 naive_time"
    ),
    "GET /api/time-lines": "403 forbidden 422 naive_time",
    "GET /api/time-lines/{line_id}": "404 unknown_time_line",
    "POST /api/time-lines/{line_id}/note": "400 invalid_note 403 forbidden 404 unknown_time_line",
    "POST /api/time-lines/{line_id}/hide": "403 forbidden 404 unknown_time_line 409 still_open unpaid",
    "GET /api/time-lines/{line_id}/audit": "404 unknown_time_line",
    "GET /api/customers": "403 forbidden",
    "POST /api/customers": (
        "400 code_reserved code_too_long empty_code invalid_ean invalid_email invalid_kind invalid_name "
        "malformed_code "
        "403 forbidden "
        "404 unknown_customer unknown_group "
        "409 code_taken"
    ),
    "GET /api/customers/{customer_id}": "404 unknown_customer",
    "PATCH /api/customers/{customer_id}": (
        "400 invalid_email invalid_name 403 forbidden 404 unknown_customer unknown_group"
    ),
    "POST /api/customers/{customer_id}/codes": (
        "400 code_reserved code_too_long empty_code invalid_ean invalid_kind malformed_code "
        "403 forbidden "
        "404 unknown_customer "
        "409 code_taken"
    ),
    "DELETE /api/customers/{customer_id}/codes/{code_id}": "403 forbidden 404 unknown_code unknown_customer",
    "GET /api/customer-groups": "403 forbidden",
    "GET /api/sites": "403 forbidden",
    "GET /api/sites/{slug}": "404 unknown_site",
    "GET /api/sites/{slug}/devices": "403 forbidden 404 unknown_site",
    "POST /api/sites/{slug}/devices": "403 forbidden 404 unknown_site",
    "POST /api/devices/{device_id}/revoke": "403 forbidden 404 unknown_device",
    "GET /api/vat-rates": "403 forbidden",
    "GET /api/products": "403 forbidden",
    "POST /api/products": (
        "400 code_too_long empty_code invalid_barcode invalid_ean invalid_kind invalid_price "
        "invalid_product invalid_steps malformed_code no_tariff unknown_vat_rate "
        "403 forbidden "
        "409 barcode_taken "
        "422 invalid_tariff"
    ),
    "GET /api/products/{product_id}": "403 forbidden 404 unknown_product",
    "PUT /api/products/{product_id}": (
        "400 code_too_long empty_code invalid_barcode invalid_ean invalid_kind invalid_price "
        "invalid_product invalid_steps malformed_code no_tariff unknown_vat_rate "
        "403 forbidden "
        "404 unknown_product "
        "409 barcode_taken product_archived"
    ),
    "DELETE /api/products/{product_id}": "403 forbidden 404 unknown_product",
    "POST /api/products/{product_id}/duplicate": "403 forbidden 404 unknown_product",
    "GET /api/products/{product_id}/tariff": "400 no_tariff 403 forbidden 404 unknown_product unknown_site",
    "PUT /api/products/{product_id}/tariff": (
        "400 no_tariff 403 forbidden 404 unknown_product 409 product_archived 422 invalid_tariff"
    ),
    "POST /api/products/{product_id}/quote": (
        "400 currency_mismatch not_a_time_product period_required 403 forbidden "
        "404 unknown_group unknown_product unknown_site"
    ),
    "POST /api/quote": (
        "403 forbidden 404 unknown_group 422 ambiguous_time end_before_start invalid_tariff naive_datetime "
        "nonexistent_time"
    ),
    "GET /api/sites/{slug}/time-products": "403 forbidden 404 unknown_site",
    "PUT /api/sites/{slug}/time-products": (
        "400 currency_mismatch not_a_time_product product_required "
        "403 forbidden "
        "404 unknown_group unknown_product unknown_site "
        "409 product_archived"
    ),
    "GET /api/sales": "403 devices_cannot_sell forbidden",
    "POST /api/sales": (
        "400 unknown_currency 403 devices_cannot_sell forbidden 404 unknown_customer unknown_site"
    ),
    "GET /api/sales/{sale_id}": "400 unknown_currency 403 devices_cannot_sell forbidden 404 unknown_sale",
    "POST /api/sales/{sale_id}/lines": (
        "400 confirm_large_line invalid_amount invalid_quantity negative_price negative_quantity no_variants "
        "price_required too_many_decimals too_many_lines unknown_currency variant_required whole_units "
        "403 devices_cannot_sell forbidden "
        "404 unknown_product unknown_sale "
        "409 product_archived sale_closed"
    ),
    "DELETE /api/sales/{sale_id}/lines/{line_id}": (
        "400 unknown_currency 403 devices_cannot_sell forbidden 404 unknown_line unknown_sale 409 sale_closed"
    ),
    "POST /api/sales/{sale_id}/lines/{line_id}/discount": (
        "400 invalid_amount invalid_discount refund_discount too_many_decimals unknown_currency "
        "403 devices_cannot_sell forbidden "
        "404 unknown_line unknown_sale "
        "409 sale_closed"
    ),
    "POST /api/sales/{sale_id}/lines/{line_id}/step": (
        "400 currency_mismatch invalid_quote not_a_ladder_line not_a_time_product unknown_currency "
        "403 devices_cannot_sell forbidden "
        "404 unknown_line unknown_sale unknown_variant "
        "409 sale_closed still_open"
    ),
    "POST /api/sales/{sale_id}/park": (
        "400 unknown_currency 403 devices_cannot_sell forbidden 404 unknown_sale 409 sale_closed"
    ),
    "POST /api/sales/{sale_id}/resume": (
        "400 unknown_currency 403 devices_cannot_sell forbidden 404 unknown_sale 409 sale_closed"
    ),
    "POST /api/sales/{sale_id}/close": (
        "400 empty_sale invalid_amount invalid_payment invalid_payment_method no_transaction no_year "
        "overpaid refund_mismatch too_many_decimals too_many_payments underpaid unknown_currency "
        "unknown_series year_required "
        "403 devices_cannot_sell forbidden "
        "404 unknown_sale "
        "409 sale_closed time_line_open"
    ),
    "POST /api/sales/{sale_id}/refund": (
        "400 already_refunded invalid_quantity negative_quantity nothing_to_refund refund_of_refund "
        "too_many_lines unknown_currency whole_units "
        "403 devices_cannot_sell forbidden "
        "404 unknown_line unknown_sale "
        "409 sale_not_closed"
    ),
    "GET /api/sales/{sale_id}/receipt.pdf": (
        "400 unknown_currency 403 devices_cannot_sell forbidden 404 unknown_sale"
    ),
    "POST /api/time-lines/{line_id}/sale": (
        "400 currency_mismatch invalid_quote not_a_time_product other_site too_many_lines "
        "unknown_currency "
        "403 devices_cannot_sell forbidden "
        "404 unknown_sale unknown_time_line "
        "409 sale_closed"
    ),
    "POST /api/time-lines/{line_id}/checkout": (
        "400 currency_mismatch end_before_start invalid_quote not_a_time_product too_many_lines "
        "unknown_currency "
        "403 devices_cannot_sell forbidden "
        "404 no_time_product unknown_sale unknown_time_line "
        "409 already_stopped sale_closed still_open"
    ),
    "GET /api/time-lines/{line_id}/due": (
        "400 currency_mismatch not_a_time_product 403 devices_cannot_sell forbidden 404 unknown_time_line"
    ),
    "POST /api/sites/{slug}/hide-paid-time-lines": (
        "403 devices_cannot_sell forbidden 404 unknown_site unknown_time_line 409 still_open"
    ),
    "GET /api/packages": "403 forbidden",
    "POST /api/packages": (
        "400 duplicate_product empty_package invalid_package invalid_package_product invalid_proration "
        "invalid_quantity "
        "403 forbidden "
        "404 unknown_product"
    ),
    "GET /api/packages/{package_id}": "403 forbidden 404 unknown_package",
    "PUT /api/packages/{package_id}": (
        "400 duplicate_product empty_package invalid_package invalid_package_product invalid_proration "
        "invalid_quantity "
        "403 forbidden "
        "404 unknown_package unknown_product"
    ),
    "POST /api/packages/{package_id}/duplicate": "403 forbidden 404 unknown_package",
    "POST /api/packages/{package_id}/archive": "403 forbidden 404 unknown_package",
    "GET /api/families": "403 forbidden",
    "POST /api/families": (
        "400 invalid_family "
        "403 forbidden "
        "404 unknown_customer unknown_family unknown_site unknown_user "
        "409 child_in_family"
    ),
    "GET /api/families/{family_id}": "403 forbidden 404 unknown_family",
    "POST /api/families/{family_id}/children": (
        "403 forbidden 404 unknown_customer unknown_family 409 child_in_family"
    ),
    "PUT /api/children/{customer_id}/shares": (
        "400 invalid_share unknown_payer 403 forbidden 404 unknown_child unknown_family"
    ),
    "GET /api/enrolments": "403 forbidden",
    "POST /api/enrolments": (
        "400 end_before_start invalid_date not_in_family package_archived "
        "403 forbidden "
        "404 unknown_customer unknown_package "
        "409 enrolment_overlap"
    ),
    "POST /api/enrolments/{enrolment_id}/end": (
        "400 end_before_start invalid_date 403 forbidden 404 unknown_enrolment 409 enrolment_overlap"
    ),
    "POST /api/invoicing/runs": (
        "400 invalid_month month_not_begun no_enrolment 403 forbidden 404 unknown_site 409 run_in_progress"
    ),
    "GET /api/invoicing/runs": "400 invalid_month 403 forbidden",
    "GET /api/invoicing/runs/{run_id}": "403 forbidden 404 unknown_run",
    "GET /api/invoices": "400 invalid_month 403 forbidden",
    "GET /api/invoices/{invoice_id}": "403 forbidden 404 unknown_invoice",
    "POST /api/invoice-lines/{line_id}/accept": (
        "400 invalid_reason nothing_to_review reason_required "
        "403 forbidden "
        "404 unknown_line "
        "409 invoice_issued"
    ),
    "POST /api/invoices/{invoice_id}/issue": (
        "400 einvoice_data_missing empty_invoice lines_to_review "
        "no_transaction no_year "
        "nonexistent_local_time unknown_series year_required "
        "403 forbidden "
        "404 unknown_invoice "
        "409 already_issued fatturapa_progressive_exhausted"
    ),
    "POST /api/invoicing/issue": (
        "400 einvoice_data_missing empty_invoice invalid_month "
        "lines_to_review no_transaction no_year "
        "nonexistent_local_time unknown_series year_required "
        "403 forbidden "
        "404 unknown_invoice "
        "409 already_issued fatturapa_progressive_exhausted"
    ),
    "POST /api/invoices/{invoice_id}/credit-notes": (
        "400 invalid_amount no_line no_transaction no_year not_issued reason_required too_many_decimals "
        "unknown_currency unknown_series year_required "
        "403 forbidden "
        "404 unknown_invoice unknown_line "
        "409 credit_above_remaining fatturapa_progressive_exhausted nothing_left"
    ),
    "POST /api/invoices/{invoice_id}/payments": (
        "400 invalid_amount invalid_method invalid_reference not_issued too_many_decimals "
        "unknown_currency "
        "403 forbidden "
        "404 unknown_invoice "
        "409 payment_above_due"
    ),
    "GET /api/invoices/{invoice_id}/einvoice/{fmt}": (
        "400 not_issued 403 forbidden 404 no_einvoice unknown_format unknown_invoice"
    ),
    "GET /api/credit-notes/{credit_note_id}/einvoice/{fmt}": (
        "400 not_issued 403 forbidden 404 no_einvoice unknown_credit_note unknown_format"
    ),
    "POST /api/invoicing/einvoices/exports": (
        "400 invalid_input invalid_month month_not_ended "
        "403 forbidden "
        "404 no_einvoice unknown_format unknown_site"
    ),
    "GET /api/invoicing/einvoices/exports/{export_id}": "403 forbidden 404 unknown_export",
    "GET /api/invoicing/einvoices/exports/{export_id}/file": (
        "403 forbidden 404 unknown_export 409 export_not_ready"
    ),
    "GET /api/families/{family_id}/balance": "400 unknown_currency 403 forbidden 404 unknown_family",
    "GET /api/reports/time-lines": (
        "400 end_before_start invalid_date invalid_input invalid_order invalid_preset invalid_state "
        "period_too_long "
        "403 forbidden "
        "404 no_site unknown_group unknown_site"
    ),
    "GET /api/reports/occupancy": (
        "400 end_before_start invalid_bucket invalid_date invalid_opening_hours "
        "invalid_preset nonexistent_local_time period_not_started period_too_long "
        "403 forbidden "
        "404 no_site unknown_site"
    ),
    "GET /api/reports/revenue": (
        "400 end_before_start invalid_date invalid_preset period_too_long "
        "403 forbidden "
        "404 no_site unknown_site"
    ),
    "POST /api/reports/exports": (
        "400 end_before_start invalid_date invalid_input invalid_order invalid_preset invalid_state "
        "period_too_long "
        "403 forbidden "
        "404 unknown_group unknown_site"
    ),
    "GET /api/reports/exports/{export_id}": "403 forbidden 404 unknown_export",
    "GET /api/reports/exports/{export_id}/file": "403 forbidden 404 unknown_export 409 export_not_ready",
}


def _parse(text: str) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    status = 0
    for word in text.split():
        if word.isdigit():
            status = int(word)
        else:
            found.setdefault(status, set()).add(word)
    return found


def errors_of(
    key: str, *, has_body: bool, has_parameters: bool, has_path_parameters: bool, devices_allowed: bool
) -> dict[int, list[str]]:
    """The codes by status that the operation `key` ("POST /api/scans") may answer."""
    parts = [EVERY_OPERATION, {0: OPERATIONS[key]}]
    if has_body:
        parts.append(WITH_BODY)
    if has_parameters:
        parts.append(WITH_PARAMETERS)
    if has_path_parameters:
        parts.append(WITH_PATH_PARAMETERS)
    if not devices_allowed:
        parts.append(FOR_PEOPLE_ONLY)
    if not key.startswith("GET "):
        parts.append(UNSAFE)
    found: dict[int, set[str]] = {}
    for part in parts:
        for status, codes in part.items():
            for parsed_status, parsed in _parse(codes if status == 0 else f"{status} {codes}").items():
                found.setdefault(parsed_status, set()).update(parsed)
    return {status: sorted(found[status]) for status in sorted(found)}
