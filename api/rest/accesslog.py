"""Request logs without secrets: the export download token is redacted from every logged request line."""

from __future__ import annotations

import logging
import re

from flask import Flask

# ``?token=...`` authorises a download by itself: it must not sit in a log file.
SECRET_QUERY = re.compile(r"([?&]token=)[^&\s\"']+", re.IGNORECASE)
REDACTED = "[redacted]"
# werkzeug's development server (make run) and gunicorn's access log write request lines here.
REQUEST_LOGGERS = ("werkzeug", "gunicorn.access")


def redact(text: str) -> str:
    return SECRET_QUERY.sub(lambda m: m.group(1) + REDACTED, text)


class RedactSecrets(logging.Filter):
    """Rewrites a request-log record so that no download token survives into any handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        # gunicorn logs ``info(access_log_format, atoms)``: a dict of request line, path, query ...
        if isinstance(record.args, dict):
            atoms: dict = record.args  # in place: gunicorn's dict type answers missing atoms itself
            for key, value in list(atoms.items()):
                if isinstance(value, str):
                    atoms[key] = redact(value)
        else:
            try:
                message = record.getMessage()
            except (TypeError, ValueError):
                return True
            record.msg, record.args = redact(message), None
        return True


def init_app(app: Flask) -> None:
    """Add the filter to the request loggers (once per process, whatever the number of apps)."""
    for name in REQUEST_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactSecrets) for f in logger.filters):
            logger.addFilter(RedactSecrets())
