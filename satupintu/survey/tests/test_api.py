"""Survey API: questions, answering by signed link (once; Idempotency-Key replays), public IKM."""

from __future__ import annotations

import pytest

from satupintu.catalogue.models import Service
from satupintu.survey.models import SurveyResponse
from satupintu.survey.services import survey_link_for


@pytest.fixture
def ktp(catalogue):
    return Service.objects.select_related("agency", "mall").get(mall=catalogue, public_code="KTPEL_HILANG_RUSAK")


def token_for(ktp, code="T-1"):
    url = survey_link_for(mall=ktp.mall, agency=ktp.agency, service=ktp, related_type="ticket", related_code=code)
    return url.rstrip("/").split("/")[-1]


def test_questions_come_from_the_regulation(client):
    body = client.get("/api/v1/survey/questions").json()
    assert [q["code"] for q in body["unsur"]] == [f"U{i}" for i in range(1, 10)]
    u7 = body["unsur"][6]
    assert u7["answers"][3] == {"value": 4, "label": "Sangat sopan dan ramah", "label_en": "Very polite and friendly"}
    assert {"value": "P", "label": "perempuan"} in body["sex"]


def test_answer_once_by_token(client, ktp):
    token = token_for(ktp)
    assert client.get(f"/api/v1/survey/invitations/{token}").json()["answered"] is False
    payload = {f"U{i}": 4 for i in range(1, 10)} | {"U8": None, "sex": "L", "channel": "kiosk"}
    r = client.post(f"/api/v1/survey/invitations/{token}/response", payload, content_type="application/json")
    assert r.status_code == 201, r.content
    saved = SurveyResponse.objects.get()
    assert saved.u8 is None and saved.channel == "kiosk" and saved.sex == "L"
    again = client.post(f"/api/v1/survey/invitations/{token}/response", payload, content_type="application/json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "survey_already_answered"
    assert client.get(f"/api/v1/survey/invitations/{token}").json()["answered"] is True


def test_idempotency_key_replays_the_first_answer(client, ktp):
    token = token_for(ktp, "T-2")
    payload = {f"U{i}": 3 for i in range(1, 10)}
    url = f"/api/v1/survey/invitations/{token}/response"
    first = client.post(url, payload, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1")
    second = client.post(url, payload, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1")
    assert first.status_code == second.status_code == 201 and first.json() == second.json()
    assert SurveyResponse.objects.count() == 1


@pytest.mark.parametrize("payload, field", [
    ({"U1": 5}, "U1"), ({"U2": 0}, "U2"), ({"U3": "baik"}, "U3"), ({"sex": "X", "U1": 3}, "sex"),
    ({"channel": "fax", "U1": 3}, "channel"),
])
def test_bad_answers_are_422_and_write_nothing(client, ktp, payload, field):
    r = client.post(f"/api/v1/survey/invitations/{token_for(ktp)}/response", payload,
                    content_type="application/json")
    assert r.status_code == 422
    assert field in {f["field"] for f in r.json()["error"]["fields"]}
    assert SurveyResponse.objects.count() == 0


def test_empty_answer_is_refused(client, ktp):
    r = client.post(f"/api/v1/survey/invitations/{token_for(ktp)}/response", {}, content_type="application/json")
    assert r.status_code == 400 and r.json()["error"]["code"] == "survey_empty"


def test_bad_token_is_404(client):
    assert client.get("/api/v1/survey/invitations/nonsense").status_code == 404
    r = client.post("/api/v1/survey/invitations/nonsense/response", {"U1": 4}, content_type="application/json")
    assert r.status_code == 404


def test_public_ikm(client, ktp):
    r = client.get("/api/v1/survey/ikm", {"mall": "kota-tangerang", "service": "KTPEL_HILANG_RUSAK"})
    assert r.status_code == 200 and r.json()["ikm"] is None and r.json()["n"] == 0
    base = {"mall": ktp.mall, "agency": ktp.agency, "service": ktp, "related_type": "ticket"}
    SurveyResponse.objects.create(**base, related_code="A", **{f"u{i}": 4 for i in range(1, 10)})
    SurveyResponse.objects.create(**base, related_code="B", **{f"u{i}": 3 for i in range(1, 10)})
    body = client.get("/api/v1/survey/ikm", {"mall": "kota-tangerang", "agency": "DISDUKCAPIL"}).json()
    assert (body["n"], body["ikm"], body["mutu"], body["kinerja"]) == (2, "87.50", "B", "Baik")
    assert body["nrr"]["U1"] == "3.5000"
    legacy = client.get("/api/v1/survey/ikm", {"mall": "kota-tangerang", "weight": "0.11"}).json()
    assert legacy["ikm"] == "86.63" and legacy["weight"] == "0.11"
    past = client.get("/api/v1/survey/ikm", {"mall": "kota-tangerang", "from": "2020-01-01", "to": "2020-12-31"})
    assert past.json()["n"] == 0
    assert client.get("/api/v1/survey/ikm", {"mall": "atlantis"}).status_code == 404
    assert client.get("/api/v1/survey/ikm", {"mall": "kota-tangerang", "agency": "NOPE"}).status_code == 404
    bad = client.get("/api/v1/survey/ikm", {"mall": "kota-tangerang", "from": "2026-02-01", "to": "2026-01-01"})
    assert bad.status_code == 422
    assert client.get("/api/v1/survey/ikm", {"mall": "kota-tangerang", "weight": "0.2"}).status_code == 422
