"""The verbs on time lines: scanning (scan.py) and changing a line (lines.py)."""
