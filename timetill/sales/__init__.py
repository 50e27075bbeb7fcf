"""The till: sales, lines with VAT, payments, receipts."""
