"""Scans and time lines: the one place where a scan becomes a stay."""
