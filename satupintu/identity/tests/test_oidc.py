"""SSO login (OIDC) against the provider simulator on loopback: code flow with PKCE, state,
nonce, JWKS signature; the nik claim is matched through the blind index."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.test import Client

from satupintu.core.crypto import blind_index
from satupintu.core.models import AuditEvent
from satupintu.identity.models import Person, User
from satupintu.identity.tests.access_matrix import synthetic_nik


@pytest.fixture
def oidc(simulators, settings):
    url = simulators["oidc"]
    settings.OIDC_ENABLED = True
    settings.OIDC_CLIENT_ID = "satupintu"
    settings.OIDC_CLIENT_SECRET = "demo-oidc-secret"
    from satupintu.identity import oidc as module

    module._cache.clear()
    httpx.post(f"{url}/_control/mode", json={"mode": "normal"})
    yield url
    httpx.post(f"{url}/_control/mode", json={"mode": "normal"})


def _set_user(url: str, **user) -> None:
    httpx.post(f"{url}/_control/user", json=user).raise_for_status()


def _round_trip(client: Client, *, tamper_state: bool = False):
    start = client.get("/sso/masuk/?next=/mal/")
    assert start.status_code == 302
    authorize = start["Location"]
    q = parse_qs(urlsplit(authorize).query)
    assert q["code_challenge_method"] == ["S256"] and q["code_challenge"][0] and q["nonce"][0] and q["state"][0]
    provider = httpx.get(authorize, follow_redirects=False)  # the browser at the provider
    assert provider.status_code == 302
    back = urlsplit(provider.headers["location"])
    params = parse_qs(back.query)
    if tamper_state:
        params["state"] = ["forged"]
    return client.get(back.path, {k: v[0] for k, v in params.items()})


def test_sso_login_creates_and_then_reuses_the_account_matched_by_nik(db, oidc):
    nik = synthetic_nik()
    _set_user(oidc, nik=nik, name="Rina Sari", birthdate="1990-01-02", email="rina.sso@contoh.test")
    client = Client()
    response = _round_trip(client)
    assert response.status_code == 302 and response["Location"] == "/mal/"
    person = Person.objects.get(nik_index=blind_index(nik, context="nik"))
    assert person.verified_by == "oidc" and person.account.email == "rina.sso@contoh.test"
    assert int(client.session["_auth_user_id"]) == person.account_id
    assert AuditEvent.objects.filter(action="auth.login", actor=person.account).exists()
    # second time: the same account, no new person
    again = Client()
    _round_trip(again)
    assert int(again.session["_auth_user_id"]) == person.account_id
    assert Person.objects.filter(nik_index=person.nik_index).count() == 1


def test_sso_maps_to_an_existing_citizen(db, oidc):
    nik = synthetic_nik()
    user = User.objects.create_user(email="ada@contoh.test", password=None, full_name="Sudah Ada")
    person = Person(account=user, full_name="Sudah Ada", birth_date=date(1990, 1, 2))
    person.set_nik(nik)
    person.save()
    _set_user(oidc, nik=nik, name="Sudah Ada", birthdate="1990-01-02", email="lain@contoh.test")
    client = Client()
    _round_trip(client)
    assert int(client.session["_auth_user_id"]) == user.pk


@pytest.mark.parametrize("mode", ["rogue_key", "wrong_nonce", "expired", "wrong_audience"])
def test_a_bad_id_token_is_refused(db, oidc, mode):
    nik = synthetic_nik()
    _set_user(oidc, nik=nik, name="Tidak Boleh", birthdate="1990-01-02")
    httpx.post(f"{oidc}/_control/mode", json={"mode": mode})
    client = Client()
    response = _round_trip(client)
    assert response.status_code == 302 and response["Location"] == "/masuk/"
    assert "_auth_user_id" not in client.session
    assert not Person.objects.filter(nik_index=blind_index(nik, context="nik")).exists()
    assert AuditEvent.objects.filter(action="auth.oidc_failed").exists()


def test_a_forged_state_is_refused(db, oidc):
    nik = synthetic_nik()
    _set_user(oidc, nik=nik, name="Tidak Boleh", birthdate="1990-01-02")
    client = Client()
    response = _round_trip(client, tamper_state=True)
    assert response["Location"] == "/masuk/"
    assert "_auth_user_id" not in client.session


def test_the_code_is_single_use_and_needs_the_pkce_verifier(db, oidc):
    _set_user(oidc, nik=synthetic_nik(), name="X", birthdate="1990-01-02")
    client = Client()
    start = client.get("/sso/masuk/")
    provider = httpx.get(start["Location"], follow_redirects=False)
    code = parse_qs(urlsplit(provider.headers["location"]).query)["code"][0]
    redirect_uri = parse_qs(urlsplit(start["Location"]).query)["redirect_uri"][0]
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
            "client_id": "satupintu", "client_secret": "demo-oidc-secret", "code_verifier": "wrong"}
    assert httpx.post(f"{oidc}/token", data=form).status_code == 400
    # the code was spent by the failed attempt
    form["code_verifier"] = client.session["oidc_pending"]["verifier"]
    assert httpx.post(f"{oidc}/token", data=form).status_code == 400


def test_sso_is_off_unless_enabled(db, settings):
    settings.OIDC_ENABLED = False
    assert Client().get("/sso/masuk/").status_code == 404


def test_provider_down_is_a_clear_message_not_an_error_page(db, settings):
    from satupintu.identity import oidc as module

    module._cache.clear()
    settings.OIDC_ENABLED = True
    settings.OIDC_ISSUER = "http://127.0.0.1:9"  # nothing listens there
    client = Client()
    response = client.get("/sso/masuk/", follow=True)
    assert response.redirect_chain[0][0] == "/masuk/"
    assert "Layanan SSO tidak dapat dihubungi" in response.content.decode()
