"""Identity API: sign-up → code → token, login, profile, family, Data saya; one JSON error shape."""

from __future__ import annotations

import pytest

from satupintu.identity.models import User
from tests.fixtures.identity_citizen import DEMO_PASSWORD, SITI, otp_from_outbox

pytestmark = pytest.mark.django_db
API = "/api/v1/identity"


def post(client, path, body=None, token=None, **extra):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.post(f"{API}{path}", body or {}, content_type="application/json", **headers, **extra)


def get(client, path, token=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.get(f"{API}{path}", **headers)


SIGNUP = {"nik": SITI["nik"], "full_name": "siti rahayu", "birth_date": "1988-03-12", "phone": "0812 1111 2222",
          "password": DEMO_PASSWORD, "consent": True}


def test_signup_confirm_token_profile_family_data(client, fake_registry):
    r = post(client, "/signup", SIGNUP)
    assert r.status_code == 202 and r.json()["state"] == "code_sent"
    ref = r.json()["reference"]
    r = post(client, f"/signup/{ref}/confirm", {"code": otp_from_outbox("+6281211112222")})
    assert r.status_code == 201
    token = r.json()["token"]
    me = get(client, "/me", token).json()
    assert me["nik_masked"] == "3671********0001" and me["phone"] == "+6281211112222" and me["verified"]
    assert get(client, "/me/kk", token).json()["error"]["code"] == "consent_required"
    assert post(client, "/me/consents/kk-prefill", token=token).status_code == 201
    members = get(client, "/me/kk", token).json()
    child = next(m for m in members if m["name"] == "Ayu Lestari")
    assert child["can_add"] and "nik" not in child
    r = post(client, "/me/family", {"key": child["key"]}, token=token, HTTP_IDEMPOTENCY_KEY="k-1")
    assert r.status_code == 201 and r.json()["basis"] == "family"
    replay = post(client, "/me/family", {"key": child["key"]}, token=token, HTTP_IDEMPOTENCY_KEY="k-1")
    assert replay.status_code == 201 and replay.json() == r.json()
    assert [m["full_name"] for m in get(client, "/me/family", token).json()] == ["Ayu Lestari"]
    data = get(client, "/me/data", token).json()
    assert data["profil"]["nama_lengkap"] == "siti rahayu" and data["keluarga_yang_saya_wakili"]


def test_bad_input_gets_clear_messages_in_both_languages(client, fake_registry):
    r = post(client, "/signup", {**SIGNUP, "nik": "12345"})
    body = r.json()["error"]
    assert r.status_code == 400 and body["code"] == "nik_length"
    assert body["fields"] == [{"field": "nik", "message": "NIK harus 16 angka; yang Anda masukkan 5 angka."}]
    r = client.post(f"{API}/signup?lang=en", {**SIGNUP, "nik": "12345"}, content_type="application/json")
    assert "16 digits" in r.json()["error"]["message"]
    r = post(client, "/signup", {**SIGNUP, "birth_date": "12-03-1988"})
    assert r.status_code == 422 and r.json()["error"]["fields"][0]["field"] == "birth_date"
    assert not User.objects.exists()


def test_login_token_and_wrong_password(client, siti_citizen):
    r = post(client, "/login", {"username": "0812-1111-2222", "password": "salah"})
    assert r.status_code == 401 and r.json()["error"]["code"] == "login_failed"
    r = post(client, "/login", {"username": "+6281211112222", "password": DEMO_PASSWORD, "client": "Tangerang LIVE"})
    token = r.json()["token"]
    assert get(client, "/me", token).status_code == 200
    # a password change kills old tokens
    siti_citizen.set_password("Sandi-Baru-2026")
    siti_citizen.save()
    assert get(client, "/me", token).status_code == 401
    assert get(client, "/me", "not-a-token").status_code == 401


def test_reset_same_answer(client, siti_citizen):
    a = post(client, "/password-reset", {"identifier": "0812 1111 2222"})
    b = post(client, "/password-reset", {"identifier": "0812 9999 0000"})
    assert a.status_code == b.status_code == 202 and a.json().keys() == b.json().keys()
    r = post(client, f"/password-reset/{a.json()['reference']}/confirm",
             {"code": otp_from_outbox("+6281211112222"), "password": "Sandi-Baru-2026"})
    assert r.status_code == 204


def test_openapi_lists_identity_endpoints(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for p in ("/api/v1/identity/signup", "/api/v1/identity/signup/{reference}/confirm", "/api/v1/identity/login",
              "/api/v1/identity/me", "/api/v1/identity/me/family", "/api/v1/identity/me/data"):
        assert p in paths


def test_registry_down_then_resume_and_resend_cooldown(client, fake_registry):
    from satupintu.integrations.dukcapil import RegistryUnavailable

    fake_registry.fail_with = RegistryUnavailable("down", status=503, retry_after=30)
    r = post(client, "/signup", SIGNUP)
    assert r.status_code == 202 and r.json()["state"] == "registry_pending" and r.json()["retry_after"] == 30
    ref = r.json()["reference"]
    assert post(client, f"/signup/{ref}/resume").json()["state"] == "registry_pending"
    fake_registry.fail_with = None
    assert post(client, f"/signup/{ref}/resume").json()["state"] == "code_sent"
    r = post(client, f"/signup/{ref}/resend")
    assert r.status_code == 429 and r.json()["error"]["code"] == "code_cooldown"
    assert post(client, "/signup/not-a-uuid/confirm", {"code": "123456"}).status_code == 404
