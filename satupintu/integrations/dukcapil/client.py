"""HTTP client of the population-registry verification service (simulator: simulators/dukcapil.py)."""

from __future__ import annotations

import datetime as dt

from satupintu.core import http
from satupintu.integrations.dukcapil.errors import (
    RegistryError,
    RegistryNoMatch,
    RegistryRejected,
    RegistryUnavailable,
)
from satupintu.integrations.dukcapil.types import Family, FamilyMember, IdentityClaim, Verification


def _retry_after(response) -> int | None:
    raw = response.headers.get("Retry-After")
    if raw is None:
        try:
            raw = response.json().get("retry_after")
        except ValueError:
            raw = None
    try:
        return max(0, int(raw)) if raw is not None else None
    except (TypeError, ValueError):
        return None


class DukcapilClient:
    def __init__(self, *, base_url: str, api_key: str, timeout: float = 5.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout

    def _post(self, path: str, body: dict) -> dict:
        try:
            with http.http_client(base_url=self.base_url, timeout=self.timeout,
                                  headers={"X-API-Key": self.api_key}) as client:
                response = client.post(path, json=body)
        except http.TimeoutException as exc:
            raise RegistryUnavailable(f"registry timed out: {exc}") from exc
        except http.TransportError as exc:
            raise RegistryUnavailable(f"registry unreachable: {exc}") from exc
        except http.BlockedDestination as exc:
            raise RegistryRejected(f"registry URL refused: {exc}") from exc
        status = response.status_code
        if status == 429 or status >= 500:
            raise RegistryUnavailable(f"registry answered {status}", status=status, retry_after=_retry_after(response))
        if status == 404 and path.endswith("/family"):
            raise RegistryNoMatch("no matching resident", status=status)
        if status >= 400:
            raise RegistryRejected(f"registry refused the request ({status})", status=status)
        try:
            return response.json()
        except ValueError as exc:
            raise RegistryUnavailable("registry answered with something that is not JSON", status=status) from exc

    def verify(self, claim: IdentityClaim) -> Verification:
        data = self._post("/api/v1/verify", claim.as_json())
        return Verification(found=bool(data.get("found")), fields={k: bool(v) for k, v in data["match"].items()})

    def family(self, *, nik: str, name: str, birth_date: dt.date, consent_reference: str) -> Family:
        data = self._post("/api/v1/family", {"nik": nik, "name": name, "birth_date": birth_date.isoformat(),
                                             "consent_reference": consent_reference})
        try:
            members = [FamilyMember(nik=m["nik"], name=m["name"], sex=m.get("sex", ""),
                                    birth_date=dt.date.fromisoformat(m["birth_date"]),
                                    birth_place=m.get("birth_place", ""), relationship=m.get("relationship", ""))
                       for m in data["members"]]
        except (KeyError, TypeError, ValueError) as exc:
            raise RegistryError(f"unexpected family answer: {exc}") from exc
        return Family(kk_number=data["kk_number"], members=members)
