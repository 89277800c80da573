"""E-mail over SMTP with Django's mail API.

The Message-ID is derived from the notification's idempotency key, so the same
notification always carries the same Message-ID: a receiving MTA (and our sink) can
recognise a resend after a crash and drop it.
SMTP 4xx replies, refused or dropped connections and timeouts are retryable; 5xx replies
(unknown mailbox, rejected sender) are permanent.
"""

from __future__ import annotations

import smtplib
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from satupintu.integrations.messaging import (
    OutboundMessage,
    PermanentProviderError,
    ProviderError,
    ProviderResult,
    RetryableProviderError,
)


def message_id_for(idempotency_key: str, from_email: str | None = None) -> str:
    address = parseaddr(from_email or settings.DEFAULT_FROM_EMAIL)[1]
    domain = address.rpartition("@")[2] or "satupintu.local"
    return f"<{idempotency_key}@{domain}>"


def _by_code(code: int, text: str, what: str) -> ProviderError:
    cls = RetryableProviderError if 400 <= code < 500 else PermanentProviderError
    return cls(f"smtp: {what} {code} {text}", code=f"smtp_{code}")


class EmailClient:
    channel = "email"

    def __init__(self, *, host: str, port: int, username: str = "", password: str = "", use_tls: bool = False,
                 timeout: float = 10.0, from_email: str = "") -> None:
        self.host, self.port = host, port
        self.username, self.password, self.use_tls = username, password, use_tls
        self.timeout = timeout
        self.from_email = from_email or settings.DEFAULT_FROM_EMAIL

    @classmethod
    def from_settings(cls) -> EmailClient:
        return cls(host=settings.EMAIL_HOST, port=int(settings.EMAIL_PORT), username=settings.EMAIL_HOST_USER,
                   password=settings.EMAIL_HOST_PASSWORD, use_tls=settings.EMAIL_USE_TLS,
                   timeout=float(settings.EMAIL_TIMEOUT or 10), from_email=settings.DEFAULT_FROM_EMAIL)

    def send(self, message: OutboundMessage) -> ProviderResult:
        if "@" not in message.to or parseaddr(message.to)[1] != message.to:
            raise PermanentProviderError("smtp: not an e-mail address", code="invalid_address")
        message_id = message_id_for(message.idempotency_key, self.from_email)
        connection = get_connection(
            "django.core.mail.backends.smtp.EmailBackend", host=self.host, port=self.port,
            username=self.username, password=self.password, use_tls=self.use_tls, timeout=self.timeout,
            fail_silently=False,
        )
        email = EmailMessage(
            subject=message.subject or "SatuPintu", body=message.body, from_email=self.from_email,
            to=[message.to], connection=connection,
            headers={"Message-ID": message_id, "Content-Language": message.language,
                     "Auto-Submitted": "auto-generated"},
        )
        try:
            email.send(fail_silently=False)
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = next(iter(exc.recipients.values()))
            raise _by_code(code, text.decode(errors="replace") if isinstance(text, bytes) else str(text),
                           "recipient refused") from exc
        except smtplib.SMTPServerDisconnected as exc:
            raise RetryableProviderError(f"smtp: server disconnected ({exc})", code="disconnected") from exc
        except smtplib.SMTPResponseException as exc:  # includes SMTPDataError, SMTPSenderRefused, SMTPConnectError
            text = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
            if exc.smtp_code < 400:  # e.g. SMTPConnectError with -1
                raise RetryableProviderError(f"smtp: {text}", code="connection") from exc
            raise _by_code(exc.smtp_code, text, "reply") from exc
        except TimeoutError as exc:
            raise RetryableProviderError("smtp: timeout", code="timeout") from exc
        except (ConnectionError, OSError, smtplib.SMTPException) as exc:
            raise RetryableProviderError(f"smtp: connection failed ({exc.__class__.__name__})",
                                         code="connection") from exc
        return ProviderResult(message_id=message_id, status="accepted")
