"""Adapter to a complaint-forwarding service in the style of SP4N-LAPOR!.

The domain never sees HTTP: it calls `forward()` and `status()` and gets data types back
or an error marked retryable (try again later) or permanent (fix the data).
Exercised in tests and the demo against `simulators/lapor.py` on loopback.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from satupintu.core import http


class LaporError(Exception):
    retryable = False


class LaporRetryable(LaporError):
    retryable = True


class LaporPermanent(LaporError):
    retryable = False


@dataclass(frozen=True)
class ForwardedComplaint:
    lapor_id: str
    status: str


@dataclass(frozen=True)
class ComplaintPayload:
    reference: str            # our tracking code, used by the service as an idempotency key
    category: str
    title: str
    body: str
    agency_name: str
    region_code: str
    service_date: str
    anonymous: bool
    confidential: bool


class LaporClient:
    def __init__(self, base_url: str | None = None, api_key: str | None = None, timeout: float = 5.0) -> None:
        self.base_url = (base_url or settings.LAPOR_URL).rstrip("/")
        self.api_key = api_key if api_key is not None else settings.LAPOR_API_KEY
        self.timeout = timeout

    def _call(self, method: str, path: str, json: dict | None = None, idempotency_key: str = "") -> dict:
        headers = {"Authorization": f"Bearer {self.api_key}"}
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        try:
            with http.http_client(base_url=self.base_url, timeout=self.timeout, headers=headers) as client:
                response = client.request(method, path, json=json)
        except http.TimeoutException as exc:
            raise LaporRetryable("timeout") from exc
        except http.TransportError as exc:
            raise LaporRetryable(f"connection failed: {exc}") from exc
        if response.status_code == 429 or response.status_code >= 500:
            raise LaporRetryable(f"HTTP {response.status_code}")
        if response.status_code >= 400:
            raise LaporPermanent(f"HTTP {response.status_code}: {response.text[:200]}")
        return response.json()

    def forward(self, payload: ComplaintPayload) -> ForwardedComplaint:
        body = self._call("POST", "/api/v1/complaints", json=payload.__dict__, idempotency_key=payload.reference)
        return ForwardedComplaint(lapor_id=body["id"], status=body["status"])

    def status(self, lapor_id: str) -> ForwardedComplaint:
        body = self._call("GET", f"/api/v1/complaints/{lapor_id}")
        return ForwardedComplaint(lapor_id=body["id"], status=body["status"])


class FakeLaporClient:
    """In-memory stand-in for unit tests."""

    def __init__(self) -> None:
        self.forwarded: dict[str, ComplaintPayload] = {}
        self.statuses: dict[str, str] = {}
        self.fail_with: LaporError | None = None

    def forward(self, payload: ComplaintPayload) -> ForwardedComplaint:
        if self.fail_with:
            raise self.fail_with
        lapor_id = f"FAKE-{len(self.forwarded) + 1}"
        self.forwarded[lapor_id] = payload
        self.statuses[lapor_id] = "Belum Diverifikasi"
        return ForwardedComplaint(lapor_id, self.statuses[lapor_id])

    def status(self, lapor_id: str) -> ForwardedComplaint:
        if self.fail_with:
            raise self.fail_with
        return ForwardedComplaint(lapor_id, self.statuses[lapor_id])


def get_client() -> LaporClient:
    return LaporClient()
