"""Database triggers that refuse to change an issued invoice, its lines, and credit notes, whatever the
client (the app, the admin, a shell, raw SQL): the last line of defence of legal records."""

INVOICE = "invoicing_invoice"
LINE = "invoicing_invoiceline"
CREDIT_NOTE = "invoicing_creditnote"
CREDIT_LINE = "invoicing_creditnoteline"
MESSAGE = "issued invoices and credit notes cannot be changed or deleted: issue a credit note"

_ISSUED_LINE = f"(SELECT state FROM {INVOICE} WHERE id = %s.invoice_id) = 'issued'"  # noqa: S608

SQLITE_CREATE = [
    f"CREATE TRIGGER {INVOICE}_issued_no_update BEFORE UPDATE ON {INVOICE} "
    f"WHEN OLD.state = 'issued' BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    f"CREATE TRIGGER {INVOICE}_issued_no_delete BEFORE DELETE ON {INVOICE} "
    f"WHEN OLD.state = 'issued' BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    f"CREATE TRIGGER {LINE}_issued_no_insert BEFORE INSERT ON {LINE} "
    f"WHEN {_ISSUED_LINE % 'NEW'} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    f"CREATE TRIGGER {LINE}_issued_no_update BEFORE UPDATE ON {LINE} "
    f"WHEN {_ISSUED_LINE % 'OLD'} OR {_ISSUED_LINE % 'NEW'} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    f"CREATE TRIGGER {LINE}_issued_no_delete BEFORE DELETE ON {LINE} "
    f"WHEN {_ISSUED_LINE % 'OLD'} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    *(
        f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
        for table in (CREDIT_NOTE, CREDIT_LINE)
        for op in ("UPDATE", "DELETE")
    ),
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {name}"
    for name in (
        f"{INVOICE}_issued_no_update",
        f"{INVOICE}_issued_no_delete",
        f"{LINE}_issued_no_insert",
        f"{LINE}_issued_no_update",
        f"{LINE}_issued_no_delete",
        f"{CREDIT_NOTE}_no_update",
        f"{CREDIT_NOTE}_no_delete",
        f"{CREDIT_LINE}_no_update",
        f"{CREDIT_LINE}_no_delete",
    )
]

POSTGRES_CREATE = [
    f"""CREATE FUNCTION invoicing_refuse_issued_invoice() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.state = 'issued' THEN
    RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$""",
    f"""CREATE FUNCTION invoicing_refuse_issued_line() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND {_ISSUED_LINE % "OLD"} THEN
    RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND {_ISSUED_LINE % "NEW"} THEN
    RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$""",
    f"""CREATE FUNCTION invoicing_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
END $$""",
    f"CREATE TRIGGER {INVOICE}_issued BEFORE UPDATE OR DELETE ON {INVOICE} "
    "FOR EACH ROW EXECUTE FUNCTION invoicing_refuse_issued_invoice()",
    f"CREATE TRIGGER {LINE}_issued BEFORE INSERT OR UPDATE OR DELETE ON {LINE} "
    "FOR EACH ROW EXECUTE FUNCTION invoicing_refuse_issued_line()",
    f"CREATE TRIGGER {CREDIT_NOTE}_fixed BEFORE UPDATE OR DELETE ON {CREDIT_NOTE} "
    "FOR EACH ROW EXECUTE FUNCTION invoicing_refuse_change()",
    f"CREATE TRIGGER {CREDIT_LINE}_fixed BEFORE UPDATE OR DELETE ON {CREDIT_LINE} "
    "FOR EACH ROW EXECUTE FUNCTION invoicing_refuse_change()",
]
POSTGRES_DROP = [
    f"DROP TRIGGER IF EXISTS {INVOICE}_issued ON {INVOICE}",
    f"DROP TRIGGER IF EXISTS {LINE}_issued ON {LINE}",
    f"DROP TRIGGER IF EXISTS {CREDIT_NOTE}_fixed ON {CREDIT_NOTE}",
    f"DROP TRIGGER IF EXISTS {CREDIT_LINE}_fixed ON {CREDIT_LINE}",
    "DROP FUNCTION IF EXISTS invoicing_refuse_issued_invoice()",
    "DROP FUNCTION IF EXISTS invoicing_refuse_issued_line()",
    "DROP FUNCTION IF EXISTS invoicing_refuse_change()",
]


def statements(vendor: str, *, create: bool) -> list[str]:
    if vendor == "postgresql":
        return POSTGRES_CREATE if create else POSTGRES_DROP
    if vendor == "sqlite":
        return SQLITE_CREATE if create else SQLITE_DROP
    return []
