"""SMS over an HTTP gateway.

Request:  POST {SMS_URL}/api/v1/messages
          X-API-Key: <key>; Idempotency-Key: <notification key>
          {"to": "+6281234567890", "text": "...", "sender_id": "SATUPINTU"}
Answer:   202 {"message_id": "...", "status": "queued"}
Errors:   400 {"error": "invalid_number"} (permanent), 401/403/4xx (permanent),
          429 + Retry-After, 5xx, timeouts, refused connections (retryable).
A repeated Idempotency-Key returns the first answer (header ``Idempotent-Replayed: true``).
"""

from __future__ import annotations

import re

from django.conf import settings

from satupintu.integrations.messaging import (
    HttpGateway,
    OutboundMessage,
    PermanentProviderError,
    ProviderResult,
    post_json,
)

E164_ID = re.compile(r"^\+62\d{8,13}$")


class SmsClient(HttpGateway):
    channel = "sms"

    def __init__(self, *, base_url: str, api_key: str, sender_id: str = "SATUPINTU", timeout: float = 10.0) -> None:
        super().__init__(base_url=base_url, timeout=timeout)
        self.api_key = api_key
        self.sender_id = sender_id

    @classmethod
    def from_settings(cls) -> SmsClient:
        return cls(base_url=settings.SMS_URL, api_key=settings.SMS_API_KEY,
                   sender_id=getattr(settings, "SMS_SENDER_ID", "SATUPINTU"),
                   timeout=float(getattr(settings, "SMS_TIMEOUT", 10)))

    def send(self, message: OutboundMessage) -> ProviderResult:
        if not E164_ID.match(message.to):
            raise PermanentProviderError(f"sms: not an Indonesian E.164 number: {message.to[:4]}…",
                                         code="invalid_number")
        body, replayed = post_json(
            gateway=self, path="/api/v1/messages", api_headers={"X-API-Key": self.api_key},
            payload={"to": message.to, "text": message.body, "sender_id": self.sender_id},
            idempotency_key=message.idempotency_key, provider="sms",
        )
        message_id = str(body.get("message_id") or "")
        if not message_id:
            raise PermanentProviderError("sms: gateway answered without a message_id", code="bad_answer")
        return ProviderResult(message_id=message_id, status=str(body.get("status") or "queued"),
                              duplicate=replayed, raw=body)
