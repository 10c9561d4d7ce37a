"""Logging for the kiosk: a rotating file under the data directory plus stderr, with personal
data masked before anything is written.

Every handler installed here carries `PersonalDataFilter`, which

1. masks the values of known personal-data keys (`kiosk.pii.PII_FIELDS`) in a dict of log args
   and in `extra=` attributes of the record — the only way a name or an address may be logged;
2. formats the message (msg % args) and runs `redact` over the result, so ID, mobile and bank
   card numbers are masked wherever they appear;
3. renders the traceback and stack text and redacts those too.

The record is rewritten in place (args consumed, exception rendered to text), so every later
handler and formatter sees only the masked form.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
from collections.abc import Mapping
from pathlib import Path

from kiosk.pii import PII_FIELDS, mask_fields, mask_value, redact

LOG_FILE_BYTES = 5 * 1024 * 1024
LOG_FILE_COUNT = 5
_FORMAT = "%(asctime)s %(levelname)-7s %(name)s [%(threadName)s] %(message)s"

# attributes every LogRecord has; an `extra` key can never collide with them
_RECORD_ATTRIBUTES = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class PersonalDataFilter(logging.Filter):
    """Masks personal data in a record before any handler writes it. Never drops a record."""

    _plain = logging.Formatter()  # renders tracebacks the standard way

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_pii_masked", False):
            return True  # another of our handlers has done it already
        for key, rule in PII_FIELDS.items():
            value = record.__dict__.get(key)
            if key not in _RECORD_ATTRIBUTES and value is not None:
                record.__dict__[key] = mask_value(str(value), rule)
        record.msg = redact(self._message(record))
        record.args = None
        if record.exc_info:
            # exc_text is what formatters print; without exc_info nobody can re-render the raw one
            record.exc_text = redact(self._plain.formatException(record.exc_info))
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        record._pii_masked = True
        return True

    @staticmethod
    def _message(record: logging.LogRecord) -> str:
        args = record.args
        # logging turns a lone dict argument into `args` itself
        if isinstance(args, Mapping):
            record.args = mask_fields(args)
        try:
            return record.getMessage()
        except Exception:  # a broken format string must not leak the raw args either
            return f"{record.msg} [log arguments could not be formatted]"


class _Ours:
    """Marks the handlers `configure_logging` installs, which its next call replaces."""

    _kiosk_handler = True


class _FileHandler(_Ours, logging.handlers.RotatingFileHandler):
    pass


class _StderrHandler(_Ours, logging.StreamHandler):
    pass


def _is_ours(handler: logging.Handler) -> bool:
    return isinstance(handler, _Ours)


def configure_logging(data_dir: Path, level: str = "INFO") -> Path:
    """Log to `<data_dir>/logs/kiosk.log` (5 MB × 5) and stderr; returns the log file path.

    Calling it again replaces the handlers it installed before instead of adding more. Any
    other handler on the root logger goes too: a library that calls `logging.basicConfig()` on
    import (python-escpos does) would otherwise print every record a second time, unmasked.
    """
    numeric = logging.getLevelNamesMapping().get(level.upper())
    if numeric is None:
        raise ValueError(f"unknown log level {level!r}")
    log_dir = Path(data_dir) / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    log_file = log_dir / "kiosk.log"

    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
        if _is_ours(handler):
            handler.close()

    formatter = logging.Formatter(_FORMAT)
    file_handler = _FileHandler(
        log_file, maxBytes=LOG_FILE_BYTES, backupCount=LOG_FILE_COUNT, encoding="utf-8"
    )
    stderr_handler = _StderrHandler(sys.stderr)
    for handler in (file_handler, stderr_handler):
        handler.setFormatter(formatter)
        handler.addFilter(PersonalDataFilter())
        root.addHandler(handler)
    root.setLevel(numeric)
    logging.captureWarnings(True)
    return log_file
