"""Log filter that masks anything that looks like a NIK or KK number (16 digits).

Attach it to every handler (settings.LOGGING does): a filter on a logger does not see
records propagated from its children, a filter on a handler sees all it writes."""

from __future__ import annotations

import logging
import re

SIXTEEN_DIGITS = re.compile(r"(?<!\d)(\d{4})\d{8}(\d{4})(?!\d)")
_formatter = logging.Formatter()


def mask_pii(text: str) -> str:
    return SIXTEEN_DIGITS.sub(r"\1********\2", text)


class MaskPIIFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not lose the record
            message = str(record.msg)
        masked = mask_pii(message)
        if masked != message or record.args:
            record.msg = masked
            record.args = ()
        # A traceback often carries the value that caused it (a NIK in a URL, a ValueError's
        # text). Formatters reuse exc_text when it is set, so mask it here once.
        if record.exc_info and not record.exc_text:
            record.exc_text = _formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_pii(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_pii(record.stack_info)
        # django.request puts the request on the record; handlers such as AdminEmailHandler
        # render it (path, GET, POST) — drop it rather than trust every renderer to mask.
        if hasattr(record, "request"):
            record.request = None
        return True
