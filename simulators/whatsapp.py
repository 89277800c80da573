"""WhatsApp business API simulator (loopback only). Not the real WhatsApp.

    POST /v1/messages   Authorization: Bearer <key>, Idempotency-Key;
                        {"messaging_product": "whatsapp", "to": "62812...", "type": "text", "text": {"body": "..."}}
                        -> 200 {"messages": [{"id": "wamid..."}]}
                        Numbers ending in 0000 are "not on WhatsApp": 400 {"error": {"code": "not_on_whatsapp"}}.
    GET  /messages?to=+62...   GET /_stats   POST /_control   GET /health   (as the SMS simulator)
"""

from __future__ import annotations

import os
import uuid

from simulators.base import JSONServer, Request
from simulators.sms import MOBILE, MessageStore, common_routes


def build(api_key: str | None = None) -> tuple[JSONServer, MessageStore]:
    api_key = api_key or os.environ.get("WHATSAPP_API_KEY") or "demo-wa-key"
    app = JSONServer("whatsapp")
    store = MessageStore()
    common_routes(app, store)

    @app.route("POST", "/v1/messages")
    def send(request: Request):
        if request.headers.get("Authorization") != f"Bearer {api_key}":
            return 401, {"error": {"code": "unauthorized", "message": "bearer token missing or wrong"}}
        data = request.json()

        def accept():
            text = (data.get("text") or {}).get("body") if isinstance(data, dict) else None
            if not isinstance(text, str) or not text or data.get("type") != "text":
                return 400, {"error": {"code": "bad_request", "message": "type=text and text.body required"}}, None
            to = "+" + str(data.get("to") or "").lstrip("+")
            if not MOBILE.match(to):
                return 400, {"error": {"code": "invalid_number", "message": "not an Indonesian mobile number"}}, None
            if to.endswith("0000"):
                return 400, {"error": {"code": "not_on_whatsapp", "message": "recipient has no WhatsApp"}}, None
            message_id = f"wamid.{uuid.uuid4().hex}"
            return 200, {"messaging_product": "whatsapp", "contacts": [{"wa_id": to.lstrip("+")}],
                         "messages": [{"id": message_id}]}, {"message_id": message_id, "to": to, "text": text}

        return store.submit(request.headers.get("Idempotency-Key"), accept)

    return app, store


def main(port: int = 8103) -> None:
    app, _store = build()
    httpd = app.serve(port=port)
    print(f"whatsapp simulator on http://127.0.0.1:{port}", flush=True)
    httpd.serve_forever()


if __name__ == "__main__":
    main()
