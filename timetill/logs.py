"""Logging filters: what the server log keeps of requests the app refuses on purpose."""

import logging


class RefusalsWithoutTraceback(logging.Filter):
    """Keep a refused request (403: no right, a failed CSRF check) as its one line, without the traceback of
    the PermissionDenied that answered it; every other record passes unchanged."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
