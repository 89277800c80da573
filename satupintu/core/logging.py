"""Log filter that masks anything that looks like a NIK or KK number (16 digits)."""

from __future__ import annotations

import logging
import re

SIXTEEN_DIGITS = re.compile(r"(?<!\d)(\d{4})\d{8}(\d{4})(?!\d)")


def mask_pii(text: str) -> str:
    return SIXTEEN_DIGITS.sub(r"\1********\2", text)


class MaskPIIFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not lose the record
            return True
        masked = mask_pii(message)
        if masked != message:
            record.msg = masked
            record.args = ()
        return True
