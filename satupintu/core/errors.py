"""One domain error type (house style 3): services raise it, views and the API turn it
into a clear message in the reader's language."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A business rule said no. `message` is already translated (gettext_lazy is fine).

    `code` is a stable machine-readable identifier, `field` names the input that is wrong
    (if any), `status` is the HTTP status the API should answer with.
    """

    status = 400

    def __init__(self, message: Any, *, code: str = "invalid", field: str | None = None,
                 status: int | None = None, details: dict | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.field = field
        if status is not None:
            self.status = status
        self.details = details or {}


class NotFound(DomainError):
    """"Not yours" and "does not exist" look the same (house style 4)."""

    status = 404

    def __init__(self, message: Any = None, **kwargs: Any) -> None:
        from django.utils.translation import gettext_lazy as _

        super().__init__(message or _("Data tidak ditemukan."), code=kwargs.pop("code", "not_found"), **kwargs)


class Conflict(DomainError):
    status = 409


class RetryLater(DomainError):
    """An outside system is down or busy; the citizen can continue later."""

    status = 503
