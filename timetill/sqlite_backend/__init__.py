"""Django's SQLite backend with write transactions queued in the operating system before they reach SQLite."""
