"""Template filters of the till pages."""
