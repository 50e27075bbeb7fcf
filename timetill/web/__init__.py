"""Base templates, layout, static files and the pages shared by all parts: login, home, Timestamp, family."""
