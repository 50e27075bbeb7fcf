"""The daycare's month: families, enrolments, the monthly invoicing run, invoices, credit notes, payments."""
