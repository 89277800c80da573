"""The survey reached by a signed link: one response per transaction, tampered or
expired links refused, answers validated, Indonesian and English."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from django.core import signing
from django.db import IntegrityError, transaction

from satupintu.catalogue.models import Agency, Service
from satupintu.core.errors import DomainError
from satupintu.survey.models import SurveyResponse
from satupintu.survey.services import SALT, survey_invitation_read, survey_link_for


@pytest.fixture
def ktp(catalogue):
    return Service.objects.select_related("agency", "mall").get(mall=catalogue, public_code="KTPEL_HILANG_RUSAK")


@pytest.fixture
def link(ktp):
    url = survey_link_for(mall=ktp.mall, agency=ktp.agency, service=ktp, related_type="application",
                          related_code="MPP-3671-2026-000123")
    return urlparse(url).path


def answers(**override):
    data = {f"U{i}": "4" for i in range(1, 10)}
    data.update(override)
    return data


def test_link_is_absolute_signed_and_names_the_transaction(ktp, settings):
    url = survey_link_for(mall=ktp.mall, agency=ktp.agency, service=ktp, related_type="ticket", related_code="A-001")
    assert url.startswith(settings.SITE_URL + "/survei/")
    invitation = survey_invitation_read(url.rstrip("/").split("/")[-1])
    assert (invitation.mall, invitation.agency, invitation.service) == (ktp.mall, ktp.agency, ktp)
    assert (invitation.related_type, invitation.related_code) == ("ticket", "A-001")


def test_link_refuses_a_service_of_another_agency(ktp):
    other = Agency.objects.get(slug="BAPENDA")
    with pytest.raises(DomainError):
        survey_link_for(mall=ktp.mall, agency=other, service=ktp, related_type="ticket", related_code="A-1")


def test_form_shows_the_nine_questions_with_the_regulation_labels(client, link):
    r = client.get(link)
    assert r.status_code == 200
    html = r.content.decode()
    assert html.count('type="radio"') == 36
    assert "Sangat sopan dan ramah" in html and "Dikelola dengan baik" in html
    assert "Penerbitan KTP-el karena hilang atau rusak" in html


def test_form_in_english(client, link):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get(link).content.decode()
    assert "How polite and friendly were the staff?" in html
    assert "Replacement KTP-el (lost or damaged)" in html


def test_submit_once_then_thanks(client, link, ktp):
    r = client.post(link, {**answers(U4="3"), "age_band": "30_39", "sex": "P", "education": "s1",
                           "occupation": "swasta", "suggestion": "Antrean cepat."})
    assert r.status_code == 302 and r["Location"].endswith("/terima-kasih/")
    response = SurveyResponse.objects.get()
    assert response.answers()["U4"] == 3 and response.sex == "P" and response.service == ktp
    assert response.related_code == "MPP-3671-2026-000123" and response.channel == "web"
    again = client.post(link, answers())
    assert again.status_code == 200 and "sudah diisi" in again.content.decode()
    assert SurveyResponse.objects.count() == 1


def test_missing_and_invalid_answers_are_explained(client, link):
    data = answers(U3="7")
    del data["U5"]
    r = client.post(link, data)
    assert r.status_code == 400
    html = r.content.decode()
    assert "error-summary" in html and 'href="#id_U5_0"' in html
    assert SurveyResponse.objects.count() == 0


def test_profile_is_optional(client, link):
    assert client.post(link, answers()).status_code == 302
    assert SurveyResponse.objects.get().age_band == ""


@pytest.mark.parametrize("mangle", [
    lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),
    lambda t: "nonsense",
    lambda t: signing.dumps({"m": "kota-tangerang", "a": "DISDUKCAPIL", "s": "", "t": "x", "c": "1"}, salt="other"),
    lambda t: signing.dumps({"m": "atlantis", "a": "DISDUKCAPIL", "s": "", "t": "x", "c": "1"}, salt=SALT),
])
def test_tampered_or_foreign_links_are_404(client, link, mangle):
    token = link.rstrip("/").split("/")[-1]
    r = client.get(f"/survei/{mangle(token)}/")
    assert r.status_code == 404
    assert "Tautan survei tidak berlaku" in r.content.decode()


def test_expired_link_is_404(client, link, settings):
    settings.SURVEY_LINK_MAX_AGE_DAYS = -1
    assert client.get(link).status_code == 404


def test_database_allows_one_response_per_transaction_and_answers_1_to_4(ktp):
    base = {"mall": ktp.mall, "agency": ktp.agency, "service": ktp, "related_type": "ticket", "related_code": "T1"}
    SurveyResponse.objects.create(**base, u1=4)
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyResponse.objects.create(**base, u1=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyResponse.objects.create(**{**base, "related_code": "T2"}, u1=5)


def test_ikm_of_a_service_from_stored_responses(ktp, django_assert_num_queries):
    from satupintu.survey.selectors import survey_ikm

    assert survey_ikm(mall=ktp.mall, service=ktp) is None
    base = {"mall": ktp.mall, "agency": ktp.agency, "service": ktp, "related_type": "ticket"}
    SurveyResponse.objects.create(**base, related_code="T1", **{f"u{i}": 4 for i in range(1, 10)})
    SurveyResponse.objects.create(**base, related_code="T2", **{f"u{i}": 3 for i in range(1, 10)}, )
    SurveyResponse.objects.create(**{**base, "service": None}, related_code="T3", **{f"u{i}": 1 for i in range(1, 10)})
    with django_assert_num_queries(1):
        result = survey_ikm(mall=ktp.mall, service=ktp)
    assert (result.n, str(result.ikm), result.grade.mutu) == (2, "87.50", "B")
    agency_wide = survey_ikm(mall=ktp.mall, agency=ktp.agency, weight="0.11")
    assert agency_wide.n == 3 and str(agency_wide.ikm) == "66.00" and agency_wide.weight == "0.11"


def test_demo_loader_is_idempotent(catalogue):
    import io

    from satupintu.survey import demo
    from satupintu.survey.selectors import survey_ikm

    out = io.StringIO()
    demo.load(out)
    first = SurveyResponse.objects.filter(related_type="demo").count()
    demo.load(out)
    assert first == SurveyResponse.objects.filter(related_type="demo").count() == 115
    assert "/survei/" in out.getvalue()
    ktp = Service.objects.get(mall=catalogue, public_code="KTPEL_HILANG_RUSAK")
    assert survey_ikm(mall=catalogue, service=ktp).n == 40


def test_figures_for_the_reporting_app(ktp, django_assert_num_queries):
    from datetime import timedelta

    from django.utils import timezone

    from satupintu.survey.selectors import ikm_for, ikm_per_agency

    assert ikm_for(mall=ktp.mall, service=ktp) is None
    base = {"mall": ktp.mall, "agency": ktp.agency, "service": ktp, "related_type": "ticket"}
    SurveyResponse.objects.create(**base, related_code="F1", **{f"u{i}": 4 for i in range(1, 10)})
    SurveyResponse.objects.create(**base, related_code="F2", **{f"u{i}": 3 for i in range(1, 10)})
    from zoneinfo import ZoneInfo

    today = timezone.localdate(timezone=ZoneInfo(ktp.mall.timezone))  # the mall's day, not the server's
    assert ikm_for(mall=ktp.mall, service=ktp, date_from=today, date_to=today) == {
        "n": 2, "ikm": "87.50", "mutu": "B", "kinerja": "Baik", "weight": "exact"}
    assert ikm_for(mall=ktp.mall, service=ktp, date_to=today - timedelta(days=400)) is None
    with django_assert_num_queries(2):  # the tenants and one grouped aggregate
        rows = ikm_per_agency(mall=ktp.mall, date_from=today - timedelta(days=29), date_to=today,
                              populations={ktp.agency_id: 500})
    by_code = {r["agency_code"]: r for r in rows}
    assert len(rows) == 14
    assert by_code["DISDUKCAPIL"]["ikm"] == "87.50" and by_code["DISDUKCAPIL"]["n"] == 2
    assert "217" in by_code["DISDUKCAPIL"]["sample_note"]  # Krejcie–Morgan for 500
    assert by_code["SAMSAT"] == {"agency": by_code["SAMSAT"]["agency"], "agency_code": "SAMSAT", "n": 0, "ikm": "",
                                 "mutu": "", "kinerja": "", "sample_note": ""}
    only = ikm_per_agency(mall=ktp.mall, agency_ids=[ktp.agency_id])
    assert [r["agency_code"] for r in only] == ["DISDUKCAPIL"]
