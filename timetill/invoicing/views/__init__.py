"""The invoicing pages."""
