"""What every message provider adapter (SMS, WhatsApp, e-mail) shares: the message, the
result, and errors that say whether trying again can help.

One interface: ``client.send(message) -> ProviderResult``. Each client passes the
message's ``idempotency_key`` to the provider so that a retry after a crash is recognised
by the provider and never delivered twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class OutboundMessage:
    to: str  # E.164 phone (+62...) or e-mail address
    body: str
    idempotency_key: str
    subject: str = ""  # e-mail only
    language: str = "id"


@dataclass(frozen=True)
class ProviderResult:
    message_id: str
    status: str = "accepted"
    duplicate: bool = False  # the provider had already accepted this idempotency key
    raw: dict = field(default_factory=dict)


class ProviderError(Exception):
    """A send that did not succeed. ``retryable`` says whether the same message may succeed
    later (timeouts, 5xx, 429, SMTP 4xx, connection refused) or never will (invalid number,
    other 4xx, SMTP 5xx)."""

    retryable = False

    def __init__(self, message: str, *, code: str = "", retry_after: float | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.retry_after = retry_after


class RetryableProviderError(ProviderError):
    retryable = True


class PermanentProviderError(ProviderError):
    retryable = False


class MessageClient(Protocol):
    channel: str

    def send(self, message: OutboundMessage) -> ProviderResult: ...


def retry_after_seconds(value: str | None) -> float | None:
    """Parse an HTTP Retry-After header (delta-seconds or HTTP date)."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    from email.utils import parsedate_to_datetime

    from django.utils import timezone

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - timezone.now()).total_seconds())


class FakeClient:
    """In-memory provider for unit tests: records what was sent, dedupes by idempotency
    key like a real provider, and can be told to fail."""

    def __init__(self, channel: str) -> None:
        self.channel = channel
        self.sent: list[OutboundMessage] = []
        self._by_key: dict[str, ProviderResult] = {}
        self.failures: list[Exception] = []  # raised in order, one per send

    def fail_next(self, *errors: Exception) -> None:
        self.failures.extend(errors)

    def send(self, message: OutboundMessage) -> ProviderResult:
        if self.failures:
            raise self.failures.pop(0)
        if message.idempotency_key in self._by_key:
            first = self._by_key[message.idempotency_key]
            return ProviderResult(first.message_id, first.status, duplicate=True)
        result = ProviderResult(f"fake-{self.channel}-{len(self.sent) + 1}")
        self._by_key[message.idempotency_key] = result
        self.sent.append(message)
        return result


class HttpGateway:
    """Base of the HTTP adapters: one pooled client per adapter instance (building a client
    costs ~100 ms of TLS set-up, more than a whole loopback round trip)."""

    def __init__(self, *, base_url: str, timeout: float) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self._http = None

    def http(self):
        if self._http is None:
            from satupintu.core.http import http_client

            self._http = http_client(base_url=self.base_url, timeout=self.timeout)
        return self._http

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
            self._http = None


def post_json(*, gateway: HttpGateway, path: str, api_headers: dict[str, str], payload: dict, idempotency_key: str,
              provider: str) -> tuple[dict, bool]:
    """POST one message to an HTTP gateway; returns (json body, replayed). Maps every
    failure onto RetryableProviderError / PermanentProviderError."""
    from satupintu.core.http import BlockedDestination, TimeoutException, TransportError

    headers = {**api_headers, "Idempotency-Key": idempotency_key, "Accept": "application/json"}
    try:
        response = gateway.http().post(path, json=payload, headers=headers)
    except BlockedDestination as exc:  # the gateway URL is misconfigured (private address, bad scheme)
        raise PermanentProviderError(f"{provider}: gateway address refused: {exc}", code="blocked") from exc
    except TimeoutException as exc:
        # the provider may have accepted it; the retry carries the same key, so no double send
        raise RetryableProviderError(f"{provider}: timeout ({exc.__class__.__name__})", code="timeout") from exc
    except TransportError as exc:
        raise RetryableProviderError(f"{provider}: connection failed ({exc.__class__.__name__})",
                                     code="connection") from exc
    try:
        body = response.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    status = response.status_code
    detail = _error_text(body) or response.reason_phrase
    if status == 429:
        raise RetryableProviderError(f"{provider}: rate limited ({detail})", code="rate_limited",
                                     retry_after=retry_after_seconds(response.headers.get("Retry-After")))
    if status in (408, 409, 425) or status >= 500:
        # 409: the same Idempotency-Key is still being processed by the provider
        raise RetryableProviderError(f"{provider}: HTTP {status} ({detail})", code=f"http_{status}",
                                     retry_after=retry_after_seconds(response.headers.get("Retry-After")))
    if status >= 400:
        code = _error_code(body) or f"http_{status}"
        raise PermanentProviderError(f"{provider}: HTTP {status} {code} ({detail})", code=code)
    replayed = response.headers.get("Idempotent-Replayed", "").lower() == "true"
    return body, replayed


def _error_code(body: dict) -> str:
    error = body.get("error")
    if isinstance(error, dict):
        return str(error.get("code") or "")
    return str(error or "")


def _error_text(body: dict) -> str:
    error = body.get("error")
    if isinstance(error, dict):
        return str(error.get("message") or error.get("code") or "")
    return str(body.get("message") or error or "")
