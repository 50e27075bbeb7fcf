"""The billing core's money rules, pure Python (no Django): rounding, VAT (one rule) and document lines.

Public API (see docs/billing.md)
--------------------------------
rounded(value, currency) / quantum(currency) / check_amount(value, currency, field)
VatCategory, VatSpec, VatSubtotal, vat_breakdown(lines, currency), Totals, totals_of(subtotals, currency)
DocumentLine, line_amounts(...), make_document_line(...), line_from_quote(quote, ...)
DocumentLines (make_document_line for many lines of few shapes), DocumentTotals (totals_of, the same)
"""

from .amounts import BillingError, check_amount, quantum, rounded
from .lines import DocumentLine, DocumentLines, LineAmounts, line_amounts, line_from_quote, make_document_line
from .vat import DocumentTotals, Totals, VatCategory, VatSpec, VatSubtotal, totals_of, vat_breakdown

__all__ = [
    "BillingError",
    "DocumentLine",
    "DocumentLines",
    "DocumentTotals",
    "LineAmounts",
    "Totals",
    "VatCategory",
    "VatSpec",
    "VatSubtotal",
    "check_amount",
    "line_amounts",
    "line_from_quote",
    "make_document_line",
    "quantum",
    "rounded",
    "totals_of",
    "vat_breakdown",
]
