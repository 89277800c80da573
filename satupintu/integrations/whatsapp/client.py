"""WhatsApp over an HTTP business-solution-provider API.

Request:  POST {WHATSAPP_URL}/v1/messages
          Authorization: Bearer <key>; Idempotency-Key: <notification key>
          {"messaging_product": "whatsapp", "to": "6281234567890", "type": "text",
           "text": {"body": "..."}}
Answer:   200 {"messages": [{"id": "wamid...."}]}
Errors:   400 {"error": {"code": "not_on_whatsapp"|"invalid_number", "message": ...}} (permanent),
          429 + Retry-After, 5xx, timeouts, refused connections (retryable).
"""

from __future__ import annotations

from django.conf import settings

from satupintu.integrations.messaging import (
    HttpGateway,
    OutboundMessage,
    PermanentProviderError,
    ProviderResult,
    post_json,
)
from satupintu.integrations.sms.client import E164_ID


class WhatsAppClient(HttpGateway):
    channel = "whatsapp"

    def __init__(self, *, base_url: str, api_key: str, timeout: float = 10.0) -> None:
        super().__init__(base_url=base_url, timeout=timeout)
        self.api_key = api_key

    @classmethod
    def from_settings(cls) -> WhatsAppClient:
        return cls(base_url=settings.WHATSAPP_URL, api_key=settings.WHATSAPP_API_KEY,
                   timeout=float(getattr(settings, "WHATSAPP_TIMEOUT", 10)))

    def send(self, message: OutboundMessage) -> ProviderResult:
        if not E164_ID.match(message.to):
            raise PermanentProviderError(f"whatsapp: not an Indonesian E.164 number: {message.to[:4]}…",
                                         code="invalid_number")
        body, replayed = post_json(
            gateway=self, path="/v1/messages",
            api_headers={"Authorization": f"Bearer {self.api_key}"},
            payload={"messaging_product": "whatsapp", "to": message.to.lstrip("+"), "type": "text",
                     "text": {"body": message.body}},
            idempotency_key=message.idempotency_key, provider="whatsapp",
        )
        messages = body.get("messages") or []
        message_id = str(messages[0].get("id") or "") if messages and isinstance(messages[0], dict) else ""
        if not message_id:
            raise PermanentProviderError("whatsapp: provider answered without a message id", code="bad_answer")
        return ProviderResult(message_id=message_id, status="accepted", duplicate=replayed, raw=body)
