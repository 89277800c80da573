"""The survey in a real browser at 360 px: reached by its signed link, answered by label
alone (keyboard/screen-reader path), errors summarised, accessible, once per transaction."""

from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def survey_path(live_catalogue):
    from satupintu.catalogue.models import Service
    from satupintu.survey.services import survey_link_for

    ktp = Service.objects.select_related("mall", "agency").get(mall=live_catalogue, public_code="KTPEL_HILANG_RUSAK")
    return urlparse(survey_link_for(mall=ktp.mall, agency=ktp.agency, service=ktp, related_type="application",
                                    related_code="MPP-3671-2026-000777")).path


def test_citizen_answers_the_survey(page, survey_path, assert_accessible):
    from satupintu.survey.models import SurveyResponse

    page.goto(survey_path)
    assert page.locator("h1").inner_text() == "Survei kepuasan"
    assert_accessible(page)
    page.get_by_role("button", name="Kirim jawaban").click()
    summary = page.locator(".error-summary")
    assert summary.is_visible() and summary.locator("li").count() == 9
    assert_accessible(page)
    for group, label in [(1, "Sangat sesuai"), (2, "Mudah"), (3, "Cepat"), (4, "Gratis"), (5, "Sesuai"),
                         (6, "Sangat kompeten"), (7, "Sangat sopan dan ramah"), (8, "Dikelola dengan baik"),
                         (9, "Baik")]:
        page.locator("fieldset.survey-question").nth(group - 1).get_by_label(label, exact=True).check()
    page.get_by_label("Usia").select_option("30_39")
    page.get_by_role("button", name="Kirim jawaban").click()
    assert page.locator("h1").inner_text() == "Terima kasih"
    response = SurveyResponse.objects.get(related_code="MPP-3671-2026-000777")
    assert response.answers() == {"U1": 4, "U2": 3, "U3": 3, "U4": 4, "U5": 3, "U6": 4, "U7": 4, "U8": 4, "U9": 3}
    assert response.age_band == "30_39"
    page.goto(survey_path)
    assert "sudah diisi" in page.content()
    assert not page.js_errors


def test_survey_in_english(page, survey_path, assert_accessible):
    page.goto("/")
    page.get_by_role("button", name="English").click()
    page.goto(survey_path)
    assert page.locator("h1").inner_text() == "Satisfaction survey"
    assert page.get_by_text("How polite and friendly were the staff?").is_visible()
    assert page.get_by_text("Replacement KTP-el (lost or damaged)").is_visible()
    assert_accessible(page)
