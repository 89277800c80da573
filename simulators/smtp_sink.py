"""SMTP sink (loopback only): a real SMTP server (aiosmtpd) that keeps what it receives.

SMTP on `port`; an HTTP side on `port + 1`:
    GET  /messages?to=someone@example.id&message_id=<...>   received mail (each with `submissions`)
    GET  /_stats      {"accepted", "requests", "replayed"}
    POST /_control    {"mode": "ok"|"tempfail"|"permfail", "delay": seconds, "reset": bool}
    GET  /health
A message whose Message-ID was already received is acknowledged (250) but stored once,
like an MTA's duplicate suppression. Recipients at a `.invalid` domain get 550 (no such user).
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import threading
import time
from typing import Any

from aiosmtpd.controller import Controller

from simulators.base import JSONServer, Request


class Sink:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self.messages: list[dict[str, Any]] = []
        self.by_id: dict[str, dict[str, Any]] = {}
        self.requests = 0
        self.replayed = 0
        self.mode = "ok"
        self.delay = 0.0

    # --- aiosmtpd handler hooks ---------------------------------------------------
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address.lower().rpartition("@")[2].endswith(".invalid"):
            return "550 5.1.1 No such user here (simulated)"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        with self.lock:
            self.requests += 1
            mode, delay = self.mode, self.delay
        if mode == "tempfail":
            return "451 4.3.0 Temporary local problem, try again later (simulated)"
        if mode == "permfail":
            return "554 5.7.1 Message rejected (simulated)"
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        message_id = str(parsed.get("Message-ID") or "").strip()
        body_part = parsed.get_body(preferencelist=("plain",))
        body = body_part.get_content() if body_part is not None else ""
        with self.lock:
            if message_id and message_id in self.by_id:
                self.replayed += 1
                self.by_id[message_id]["submissions"] += 1
                answer = "250 2.0.0 OK duplicate Message-ID, not delivered again"
            else:
                record = {"message_id": message_id, "from": envelope.mail_from, "to": list(envelope.rcpt_tos),
                          "subject": str(parsed.get("Subject") or ""), "body": body,
                          "language": str(parsed.get("Content-Language") or ""), "submissions": 1,
                          "received_at": time.time()}
                self.messages.append(record)
                if message_id:
                    self.by_id[message_id] = record
                answer = "250 2.0.0 OK queued"
        if delay:
            await asyncio.sleep(delay)
        return answer

    # --- HTTP side ---------------------------------------------------------------
    def find(self, query: dict) -> list[dict]:
        with self.lock:
            found = list(self.messages)
        if query.get("to"):
            found = [m for m in found if query["to"] in m["to"]]
        if query.get("message_id"):
            found = [m for m in found if m["message_id"] == query["message_id"]]
        return found

    def control(self, data: dict) -> dict:
        with self.lock:
            if data.get("reset"):
                self.reset()
            if data.get("mode") in {"ok", "tempfail", "permfail"}:
                self.mode = data["mode"]
            if "delay" in data:
                self.delay = float(data["delay"] or 0)
            return {"mode": self.mode, "delay": self.delay}


def build_http(sink: Sink) -> JSONServer:
    app = JSONServer("smtp")

    @app.route("GET", "/health")
    def health(request: Request):
        return 200, {"status": "ok", "simulator": "smtp"}

    @app.route("GET", "/messages")
    def messages(request: Request):
        return 200, {"messages": sink.find(request.query)}

    @app.route("GET", "/_stats")
    def stats(request: Request):
        with sink.lock:
            return 200, {"accepted": len(sink.messages), "requests": sink.requests, "replayed": sink.replayed}

    @app.route("POST", "/_control")
    def control(request: Request):
        data = request.json()
        if not isinstance(data, dict):
            return 400, {"error": "JSON object expected"}
        return 200, sink.control(data)

    return app


def http_port_for(smtp_port: int) -> int:
    return smtp_port + 1


def main(port: int = 8025) -> None:
    sink = Sink()
    httpd = build_http(sink).serve(port=http_port_for(port))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    # generous: on a loaded machine the event loop thread can take more than aiosmtpd's default 5 s to start
    controller = Controller(sink, hostname="127.0.0.1", port=port, ready_timeout=60)
    controller.start()
    print(f"smtp sink on 127.0.0.1:{port} (HTTP side http://127.0.0.1:{http_port_for(port)})", flush=True)
    try:
        threading.Event().wait()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
