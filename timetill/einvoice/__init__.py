"""E-invoices: Factur-X (EN 16931 CII in a PDF/A-3) and FatturaPA 1.2.2, built from a neutral document."""
