"""SMS gateway simulator (loopback only). Not a real gateway.

    POST /api/v1/messages   X-API-Key, Idempotency-Key; {"to": "+62...", "text": "...", "sender_id": "..."}
                            -> 202 {"message_id", "status": "queued"}
                            A repeated Idempotency-Key gets the first answer back (Idempotent-Replayed: true);
                            the message is stored once. Numbers +6280... are refused: 400 invalid_number.
    GET  /messages?to=+62...&idempotency_key=...   what was accepted (each with `submissions`)
    GET  /_stats            {"accepted", "requests", "replayed"}
    POST /_control          {"outage": bool, "delay": seconds, "rate_limit": retry_after_seconds|null,
                             "fail_next": n, "reset": bool}
    GET  /health
"""

from __future__ import annotations

import os
import re
import threading
import time
import uuid
from typing import Any

from simulators.base import JSONServer, Request

MOBILE = re.compile(r"^\+628[1-9]\d{6,11}$")


class MessageStore:
    """Accepted messages, the first answer per Idempotency-Key, and the failure knobs."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self.messages: list[dict[str, Any]] = []
        self.answers: dict[str, tuple[int, Any]] = {}
        self.requests = 0
        self.replayed = 0
        self.outage = False
        self.delay = 0.0
        self.rate_limit: float | None = None
        self.fail_next = 0

    def control(self, data: dict) -> dict:
        with self.lock:
            if data.get("reset"):
                self.reset()
            if "outage" in data:
                self.outage = bool(data["outage"])
            if "delay" in data:
                self.delay = float(data["delay"] or 0)
            if "rate_limit" in data:
                self.rate_limit = None if data["rate_limit"] is None else float(data["rate_limit"])
            if "fail_next" in data:
                self.fail_next = int(data["fail_next"] or 0)
            return {"outage": self.outage, "delay": self.delay, "rate_limit": self.rate_limit,
                    "fail_next": self.fail_next}

    def submit(self, key: str | None, accept) -> tuple[int, Any, dict[str, str]]:
        """`accept()` validates and returns (status, answer, message-or-None)."""
        with self.lock:
            self.requests += 1
            if self.outage:
                return 503, {"error": {"code": "unavailable", "message": "gateway down (simulated)"}}, {}
            if self.fail_next > 0:
                self.fail_next -= 1
                return 503, {"error": {"code": "unavailable", "message": "transient failure (simulated)"}}, {}
            if self.rate_limit is not None:
                return 429, {"error": {"code": "rate_limited", "message": "too many requests"}}, {
                    "Retry-After": str(int(self.rate_limit))}
            if key and key in self.answers:
                self.replayed += 1
                for message in self.messages:
                    if message["idempotency_key"] == key:
                        message["submissions"] += 1
                status, answer = self.answers[key]
                return status, answer, {"Idempotent-Replayed": "true"}
            status, answer, message = accept()
            if message is not None:
                message.update(idempotency_key=key or "", submissions=1, received_at=time.time())
                self.messages.append(message)
            if key and status < 500:
                self.answers[key] = (status, answer)
            delay = self.delay
        if delay:
            time.sleep(delay)  # slow acknowledgement: accepted, answer late
        return status, answer, {}

    def find(self, query: dict) -> list[dict]:
        with self.lock:
            found = list(self.messages)
        if query.get("to"):
            found = [m for m in found if m["to"] == query["to"]]
        if query.get("idempotency_key"):
            found = [m for m in found if m["idempotency_key"] == query["idempotency_key"]]
        return found

    def stats(self) -> dict:
        with self.lock:
            return {"accepted": len(self.messages), "requests": self.requests, "replayed": self.replayed}


def common_routes(app: JSONServer, store: MessageStore) -> None:
    @app.route("GET", "/health")
    def health(request: Request):
        return 200, {"status": "ok", "simulator": app.name}

    @app.route("GET", "/messages")
    def messages(request: Request):
        return 200, {"messages": store.find(request.query)}

    @app.route("GET", "/_stats")
    def stats(request: Request):
        return 200, store.stats()

    @app.route("POST", "/_control")
    def control(request: Request):
        data = request.json()
        if not isinstance(data, dict):
            return 400, {"error": "JSON object expected"}
        return 200, store.control(data)


def build(api_key: str | None = None) -> tuple[JSONServer, MessageStore]:
    api_key = api_key or os.environ.get("SMS_API_KEY") or "demo-sms-key"
    app = JSONServer("sms")
    store = MessageStore()
    common_routes(app, store)

    @app.route("POST", "/api/v1/messages")
    def send(request: Request):
        if request.headers.get("X-API-Key") != api_key:
            return 401, {"error": "unauthorized", "message": "X-API-Key missing or wrong"}
        data = request.json()

        def accept():
            if not isinstance(data, dict) or not isinstance(data.get("text"), str) or not data.get("text"):
                return 400, {"error": "bad_request", "message": "to and text are required"}, None
            to = str(data.get("to") or "")
            if not MOBILE.match(to):
                return 400, {"error": "invalid_number", "message": f"{to!r} is not an Indonesian mobile number"}, None
            message_id = f"sms-{uuid.uuid4().hex[:16]}"
            return 202, {"message_id": message_id, "status": "queued"}, {
                "message_id": message_id, "to": to, "text": data["text"], "sender_id": data.get("sender_id", "")}

        return store.submit(request.headers.get("Idempotency-Key"), accept)

    return app, store


def main(port: int = 8102) -> None:
    app, _store = build()
    httpd = app.serve(port=port)
    print(f"sms simulator on http://127.0.0.1:{port}", flush=True)
    httpd.serve_forever()


if __name__ == "__main__":
    main()
