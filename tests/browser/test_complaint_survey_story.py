"""Issue 6 "Done when": a citizen finishes an application, answers the survey, files a
complaint about the same application; the agency answers; the complainant sees and rates
the answer; the manager's console and the public page show the new figures."""

from __future__ import annotations

import pytest

from tests.browser.test_application_story import click, login_as

pytestmark = pytest.mark.browser


@pytest.fixture
def finished_application(live_catalogue, fake_vault, live_server, settings):
    from satupintu.applications import services
    from satupintu.applications.tests.test_services import fill, start_bundle, submit_once
    from satupintu.applications.workflow import Status
    from tests.fixtures.applications import build_personas

    settings.SITE_URL = live_server.url  # links in invitations point at this server
    p = build_personas(live_catalogue)
    submission = fill(p, fake_vault, start_bundle(p))
    submit_once(p, submission, "story-6")
    app = submission.applications.get(service__public_code="KIA")
    for action, who in [("claim", p.verifier), ("verify", p.verifier), ("process", p.verifier),
                        ("approve", p.approver)]:
        services.application_transition(application=app, action=action, by=who)
    services.application_issue_output(application=app, by=p.front_desk)  # physical KIA: "siap diambil"
    app.refresh_from_db()
    assert app.status == Status.OUTPUT_ISSUED
    return p, app


def test_survey_complaint_answer_rating_console_and_public_page(page, finished_application, assert_accessible):
    from satupintu.complaints.models import Complaint
    from satupintu.notifications.models import Notification
    from satupintu.survey.models import SurveyResponse

    p, app = finished_application
    # the survey was offered once, through the outbox, when the result was ready
    invitation = Notification.objects.get(template="survey.invitation", person=p.person)
    assert "/s/" in invitation.context["url"]

    page.goto("/")
    login_as(page, p.citizen)
    page.goto(f"/permohonan/{app.code}/")
    page.get_by_role("link", name="Nilai layanan ini (2 menit)").click()
    assert page.locator("h1").inner_text() == "Survei kepuasan"
    for group, label in [(1, "Sesuai"), (2, "Mudah"), (3, "Cepat"), (4, "Gratis"), (5, "Sesuai"),
                         (6, "Kompeten"), (7, "Sopan dan ramah"), (8, "Berfungsi kurang maksimal"), (9, "Baik")]:
        page.locator("fieldset.survey-question").nth(group - 1).get_by_label(label, exact=True).check()
    click(page, "Kirim jawaban")
    assert page.locator("h1").inner_text() == "Terima kasih"
    response = SurveyResponse.objects.get(related_type="application", related_code=str(app.code))
    assert response.agency_id == app.agency_id

    # a complaint about the same application, prefilled from it
    page.goto(f"/permohonan/{app.code}/")
    page.get_by_role("link", name="Sampaikan pengaduan tentang permohonan ini").click()
    assert app.reference in page.content()
    assert_accessible(page)
    page.get_by_label("Layanan lambat / melewati janji waktu").check()
    page.get_by_label("Apa yang terjadi?").fill("KIA anak saya belum bisa diambil padahal sudah dinyatakan siap.")
    click(page, "Kirim pengaduan")
    complaint = Complaint.objects.get()
    assert complaint.related_type == "application" and complaint.related_code == str(app.code)
    assert complaint.agency_id == app.agency_id and complaint.complainant_id == p.person.id
    assert complaint.tracking_code in page.content()

    # the agency answers
    login_as(page, p.verifier)
    page.goto("/petugas/pengaduan/")
    page.get_by_role("link", name=complaint.tracking_code).click()
    assert_accessible(page)
    page.get_by_label("Jawaban untuk pelapor").fill("Mohon maaf, blangko KIA sempat habis. KIA Anda kini dapat "
                                                     "diambil di loket 1.")
    click(page, "Kirim jawaban")

    # the complainant sees the answer and rates it
    login_as(page, p.citizen)
    page.goto(f"/pengaduan/{complaint.tracking_code}/")
    assert "blangko KIA sempat habis" in page.content()
    page.get_by_label("4", exact=True).check()
    click(page, "Kirim penilaian")
    complaint.refresh_from_db()
    assert complaint.status == "closed" and complaint.rating == 4

    # the manager's console shows the new figures
    login_as(page, p.mall_manager)
    page.goto("/konsol/")
    assert_accessible(page)
    complaints = page.locator("#sec-complaints").locator("xpath=..")
    assert "Dijawab tepat waktu" in complaints.inner_text() and "100,0%" in complaints.inner_text()
    ikm = page.locator("#sec-ikm").locator("xpath=..")
    assert "Dinas Kependudukan" in ikm.inner_text()
    applications = page.locator("#sec-applications").locator("xpath=..")
    assert "Hasil terbit" in applications.inner_text()

    # the public page (no login) shows them too, without personal data
    page.context.clear_cookies()
    page.goto("/transparansi/mal/kota-tangerang/layanan/KIA/")
    assert_accessible(page)
    text = page.locator("main").inner_text()
    assert "(1/1)" in text  # complaints answered on time
    assert "mutu" in text and "1 responden" in text
    assert p.person.full_name not in text and complaint.tracking_code not in text
