"""Simulator of a national complaint-forwarding service in the style of SP4N-LAPOR!.
NOT the real service. Accepts complaints (idempotent by Idempotency-Key), assigns ids,
and moves them through statuses when told to (control hook), so the adapter's forward
and status sync are exercised over a real socket.

    POST /api/v1/complaints            (Authorization: Bearer <key>, Idempotency-Key: <ref>)
    GET  /api/v1/complaints/<id>
    POST /_control {"mode": "ok"|"down"|"slow"} | {"advance": "<id>"}
    GET  /_complaints                   everything received (for tests)
"""

from __future__ import annotations

import argparse
import os
import time

from simulators.base import JSONServer

STATUSES = ["Belum Diverifikasi", "Diverifikasi", "Didisposisikan", "Ditindaklanjuti", "Selesai"]
API_KEY = os.environ.get("LAPOR_API_KEY") or "demo-lapor-key"


def build() -> JSONServer:
    server = JSONServer("lapor")
    state = {"mode": "ok", "seq": 0, "by_id": {}, "by_key": {}}

    def guard(request):
        if state["mode"] == "down":
            return 503, {"error": "service unavailable (simulated outage)"}
        if state["mode"] == "slow":
            time.sleep(8)
        if request.headers.get("Authorization") != f"Bearer {API_KEY}":
            return 401, {"error": "invalid API key"}
        return None

    @server.route("GET", "/health")
    def health(request):
        return 200, {"status": "ok", "simulator": "lapor"}

    @server.route("POST", "/api/v1/complaints")
    def create(request):
        refused = guard(request)
        if refused:
            return refused
        body = request.json()
        if not isinstance(body, dict) or not body.get("body") or not body.get("reference"):
            return 422, {"error": "reference and body are required"}
        key = request.headers.get("Idempotency-Key") or body["reference"]
        with server.lock:
            if key in state["by_key"]:
                return 200, state["by_id"][state["by_key"][key]]
            state["seq"] += 1
            lapor_id = f"LPR-{state['seq']:07d}"
            record = {"id": lapor_id, "status": STATUSES[0], "reference": body["reference"],
                      "agency": body.get("agency_name", ""), "category": body.get("category", "")}
            state["by_id"][lapor_id] = record
            state["by_key"][key] = lapor_id
        return 201, record

    @server.route("GET", "/api/v1/complaints/")
    def get(request):
        refused = guard(request)
        if refused:
            return refused
        lapor_id = request.path.rsplit("/", 1)[-1]
        record = state["by_id"].get(lapor_id)
        return (200, record) if record else (404, {"error": "unknown complaint"})

    @server.route("POST", "/_control")
    def control(request):
        body = request.json() or {}
        if "mode" in body:
            state["mode"] = body["mode"]
        if "advance" in body:
            record = state["by_id"].get(body["advance"])
            if not record:
                return 404, {"error": "unknown complaint"}
            index = STATUSES.index(record["status"])
            record["status"] = STATUSES[min(index + 1, len(STATUSES) - 1)]
            return 200, record
        return 200, {"mode": state["mode"]}

    @server.route("GET", "/_complaints")
    def dump(request):
        return 200, list(state["by_id"].values())

    return server


def main(port: int) -> None:
    httpd = build().serve("127.0.0.1", port)
    print(f"lapor simulator on http://127.0.0.1:{port}", flush=True)
    httpd.serve_forever()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8104)
    main(parser.parse_args().port)
