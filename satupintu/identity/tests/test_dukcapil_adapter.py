"""The registry adapter over a real socket to the simulator process: matches per field, never the stored
data; outage, slowness, rate limit and bad key classified as retryable or permanent."""

from __future__ import annotations

import datetime as dt
import json
import urllib.request

import pytest

from satupintu.integrations.dukcapil import (
    DukcapilClient,
    IdentityClaim,
    RegistryNoMatch,
    RegistryRejected,
    RegistryUnavailable,
)

SITI = IdentityClaim(nik="3671015203880001", name="Siti Rahayu", birth_date=dt.date(1988, 3, 12),
                     birth_place="Tangerang", mother_name="Sumiati")


def control(url: str, **body) -> dict:
    req = urllib.request.Request(f"{url}/_control", data=json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=5) as resp:
        return json.loads(resp.read())


@pytest.fixture
def registry(simulators, settings):
    url = simulators["dukcapil"]
    control(url, mode="ok", rate_limit=50, delay=8)
    yield url
    control(url, mode="ok", rate_limit=50, delay=8)


def client(url: str, *, key: str = "demo-dukcapil-key", timeout: float = 3.0) -> DukcapilClient:
    return DukcapilClient(base_url=url, api_key=key, timeout=timeout)


def test_match_per_field_tolerant_of_case_and_spacing(registry):
    result = client(registry).verify(IdentityClaim(nik=SITI.nik, name="  siti   RAHAYU ", birth_date=SITI.birth_date,
                                                   mother_name="SUMIATI"))
    assert result.found and result.matched
    assert result.fields == {"name": True, "birth_date": True, "mother_name": True}


def test_no_match_names_the_field_and_returns_no_stored_data(registry):
    result = client(registry).verify(IdentityClaim(nik=SITI.nik, name="Siti Aminah", birth_date=SITI.birth_date,
                                                   birth_place="Bandung"))
    assert result.found and not result.matched
    assert set(result.mismatched_fields) == {"name", "birth_place"}
    raw = urllib.request.urlopen(urllib.request.Request(
        f"{registry}/api/v1/verify", method="POST", headers={"X-API-Key": "demo-dukcapil-key"},
        data=json.dumps({"nik": SITI.nik, "name": "x", "birth_date": "1988-03-12"}).encode()), timeout=5).read()
    assert b"Rahayu" not in raw and b"Tangerang" not in raw


def test_unknown_nik_is_not_found(registry):
    result = client(registry).verify(IdentityClaim(nik="3671015203889999", name="Siti Rahayu",
                                                   birth_date=SITI.birth_date))
    assert not result.found and not result.matched


def test_family_members_with_consent_and_proof(registry):
    family = client(registry).family(nik=SITI.nik, name="Siti Rahayu", birth_date=SITI.birth_date,
                                     consent_reference="c-1")
    assert family.kk_number == "3671012010100004"
    assert {m.name for m in family.members} == {"Siti Rahayu", "Raka Pratama", "Ayu Lestari"}
    with pytest.raises(RegistryNoMatch):
        client(registry).family(nik=SITI.nik, name="Orang Lain", birth_date=SITI.birth_date, consent_reference="c")


def test_bad_key_is_permanent(registry):
    with pytest.raises(RegistryRejected) as info:
        client(registry, key="wrong").verify(SITI)
    assert not info.value.retryable and info.value.status == 401


def test_outage_is_retryable_with_retry_after(registry):
    control(registry, mode="down")
    with pytest.raises(RegistryUnavailable) as info:
        client(registry).verify(SITI)
    assert info.value.retryable and info.value.status == 503 and info.value.retry_after == 30


def test_slowness_is_a_retryable_timeout(registry):
    control(registry, mode="slow", delay=2)
    with pytest.raises(RegistryUnavailable) as info:
        client(registry, timeout=0.5).verify(SITI)
    assert info.value.retryable and info.value.status is None


def test_rate_limit_is_retryable(registry):
    control(registry, rate_limit=2)
    c = client(registry)
    with pytest.raises(RegistryUnavailable) as info:
        for _ in range(10):
            c.verify(SITI)
    assert info.value.status == 429 and info.value.retry_after == 1


def test_connection_refused_is_retryable():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(RegistryUnavailable):
        client(f"http://127.0.0.1:{port}").verify(SITI)
