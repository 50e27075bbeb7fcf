"""A bench-only Django app: the bare one-row insert that the HTTP benchmark compares the scan endpoint with.

Installed only when TIMETILL_BENCH=1 (see timetill/settings.py and bench/README.md); never in production.
"""
