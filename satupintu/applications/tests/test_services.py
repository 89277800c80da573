"""Applying and the back-office workflow, through the services (rules) and access functions."""

from datetime import timedelta

import pytest
from django.utils import timezone

from satupintu.applications import services
from satupintu.applications.access import access_application, access_submission
from satupintu.applications.models import Application, ApplicationEvent, Bundle, Submission
from satupintu.applications.selectors import holder, inbox, merged_form, timeline
from satupintu.applications.tasks import sla_check_run
from satupintu.applications.workflow import Status
from satupintu.catalogue.models import Service
from satupintu.core.errors import Conflict, DomainError, NotFound
from satupintu.core.idempotency import run_idempotent
from satupintu.identity.models import Mandate
from satupintu.notifications.models import Notification

ANSWERS = {"applicant_name": "Siti Aminah", "applicant_phone": "081234500001", "child_name": "Ayu Lestari",
           "child_birth_date": "2026-11-20", "child_birth_place": "Tangerang", "child_sex": "P",
           "born_in_facility": "ya", "facility_name": "RSUD Kota Tangerang", "kk_number": "3671010101200001",
           "change_reason": "kelahiran"}


def start_bundle(p, by=None, applicant=None):
    bundle = Bundle.objects.get(mall=p.mall, slug="kelahiran")
    return services.submission_start(mall=p.mall, applicant=applicant or p.person, by=by or p.citizen, bundle=bundle)


def fill(p, vault, submission, by=None):
    by = by or p.citizen
    services.submission_save_answers(submission=submission, answers=ANSWERS, by=by)
    for doc in merged_form(submission)[1]:
        if doc.get("required", True):
            code = vault.add(submission.applicant, doc["kind"])
            services.submission_attach_document(submission=submission, kind=doc["kind"], vault_code=code, by=by)
    return Submission.objects.get(pk=submission.pk)


def submit_once(p, submission, key):
    def action():
        s = services.submission_submit(submission=submission, by=p.citizen)
        return 201, {"submission": str(s.code), "references": sorted(s.applications.values_list("reference",
                                                                                               flat=True))}
    return run_idempotent(scope="applications.submit", owner=str(p.citizen.code), key=key,
                          body={"submission": str(submission.code)}, action=action)


@pytest.fixture
def submitted(app_personas, fake_vault):
    p = app_personas
    submission = fill(p, fake_vault, start_bundle(p))
    submit_once(p, submission, "key-1")
    return p, Submission.objects.get(pk=submission.pk)


def test_bundle_asks_each_document_once_and_routes_each_part(app_personas, fake_vault):
    p = app_personas
    submission = start_bundle(p)
    fields, docs = merged_form(submission)
    kinds = [d["kind"] for d in docs]
    assert len(kinds) == len(set(kinds)) and {"kk", "sk_kelahiran"} <= set(kinds)
    assert len([f for f in fields if f["name"] == "child_name"]) == 1
    # prefilled from the profile and registry: never asked again
    assert submission.answers["applicant_name"] == "Siti Aminah"
    assert submission.answers["kk_number"] != "3671010101200001"  # encrypted at rest
    from satupintu.applications.answers import unseal
    assert unseal(submission.answers["kk_number"]) == "3671010101200001"
    parts = submission.applications.all()
    assert sorted(a.service.public_code for a in parts) == ["AKTA_KELAHIRAN", "KIA", "KK_PERUBAHAN"]
    assert all(a.status == Status.DRAFT for a in parts)


def test_double_submission_makes_one_application_per_part(app_personas, fake_vault):
    p = app_personas
    submission = fill(p, fake_vault, start_bundle(p))
    first = submit_once(p, submission, "tap-1")
    second = submit_once(p, submission, "tap-1")
    assert first[1] == second[1] and second[2] is True
    assert Application.objects.filter(submission=submission, status=Status.SUBMITTED).count() == 3
    refs = first[1]["references"]
    assert len(set(refs)) == 3 and all(r.startswith(f"MPP-3671-{timezone.localdate().year}-") for r in refs)
    # a retry with a new key is refused by the state, not duplicated
    with pytest.raises(Conflict):
        submit_once(p, submission, "tap-2")
    assert Application.objects.filter(submission=submission).count() == 3


def test_submit_refuses_missing_answers_and_documents(app_personas, fake_vault):
    p = app_personas
    submission = start_bundle(p)
    with pytest.raises(DomainError) as exc:
        services.submission_submit(submission=submission, by=p.citizen)
    assert exc.value.code == "incomplete"
    assert any(f["field"] == "doc:kk" for f in exc.value.details["problems"])
    assert Application.objects.filter(submission=submission, status=Status.DRAFT).count() == 3


def test_invalid_answer_stores_nothing(app_personas):
    p = app_personas
    submission = start_bundle(p)
    with pytest.raises(DomainError) as exc:
        services.submission_save_answers(submission=submission, answers={"child_name": "Ayu", "kk_number": "123"},
                                         by=p.citizen)
    assert exc.value.field == "kk_number"
    assert "child_name" not in Submission.objects.get(pk=submission.pk).answers


def test_document_not_in_the_applicants_vault_is_refused(app_personas, fake_vault):
    p = app_personas
    submission = start_bundle(p)
    _, other_person = p.other_citizen, p.other_citizen.person
    foreign = fake_vault.add(other_person, "kk")
    with pytest.raises(DomainError, match="brankas"):
        services.submission_attach_document(submission=submission, kind="kk", vault_code=foreign, by=p.citizen)


def test_officer_of_another_agency_and_another_citizen_get_404(submitted):
    p, submission = submitted
    app = submission.applications.get(service__public_code="AKTA_KELAHIRAN")
    assert access_application(p.verifier, app.code) == app
    assert access_application(p.mall_manager, app.code) == app
    assert access_application(p.citizen, app.code) == app
    for outsider in (p.other_agency_officer, p.other_citizen):
        with pytest.raises(NotFound):
            access_application(outsider, app.code)
    with pytest.raises(NotFound):
        access_submission(p.other_citizen, submission.code)
    with pytest.raises(NotFound):
        services.application_transition(application=app, action="claim", by=p.other_agency_officer)
    assert app.code not in [a.code for a in inbox(p.other_agency_officer).rows]
    assert app.code in [a.code for a in inbox(p.verifier).rows]


def test_transitions_out_of_order_or_by_the_wrong_role_are_refused(submitted):
    p, submission = submitted
    app = submission.applications.get(service__public_code="AKTA_KELAHIRAN")
    with pytest.raises(Conflict):
        services.application_transition(application=app, action="approve", by=p.approver)
    with pytest.raises(DomainError) as exc:
        services.application_transition(application=app, action="claim", by=p.approver)
    assert exc.value.code == "wrong_role"
    services.application_transition(application=app, action="claim", by=p.verifier)
    with pytest.raises(Conflict):
        services.application_issue_output(application=app, by=p.approver)
    with pytest.raises(Conflict):
        services.application_resubmit(application=app, by=p.citizen)
    assert Application.objects.get(pk=app.pk).status == Status.IN_VERIFICATION


def test_send_back_pauses_then_resubmit_resumes_and_the_timeline_tells_the_story(submitted, fake_vault):
    p, submission = submitted
    app = submission.applications.get(service__public_code="KIA")
    services.application_transition(application=app, action="claim", by=p.verifier)
    with pytest.raises(DomainError):
        services.application_send_back(application=app, by=p.verifier, reason="", items={})
    services.application_send_back(application=app, by=p.verifier, reason="Foto KK buram",
                                   items={"kk": "Unggah ulang KK yang terbaca jelas."})
    app.refresh_from_db()
    assert app.status == Status.SENT_BACK and app.paused_at is not None
    assert holder(app).with_citizen
    due_before = app.due_at
    with pytest.raises(DomainError, match="masih perlu diganti"):
        services.application_resubmit(application=app, by=p.citizen)
    new_kk = fake_vault.add(p.person, "kk")
    services.application_resubmit(application=app, by=p.citizen, documents={"kk": new_kk})
    app.refresh_from_db()
    assert app.status == Status.RESUBMITTED and app.paused_at is None and app.due_at >= due_before
    assert app.documents.get(kind="kk").vault_code == new_kk
    services.application_note_add(application=app, by=p.verifier, text="cek manual ke SIAK", to_citizen=False)
    services.application_transition(application=app, action="claim", by=p.verifier)
    services.application_transition(application=app, action="verify", by=p.verifier)
    services.application_transition(application=app, action="process", by=p.verifier)
    services.application_transition(application=app, action="approve", by=p.approver)
    services.application_issue_output(application=app, by=p.front_desk)  # KIA: physical output
    app.refresh_from_db()
    assert app.status == Status.OUTPUT_ISSUED
    events = timeline(app, for_citizen=True)
    assert [e.to_status for e in events] == ["submitted", "in_verification", "sent_back", "resubmitted",
                                             "in_verification", "in_processing", "awaiting_approval", "approved",
                                             "output_issued"]
    assert "siap diambil" in events[-1].text
    assert not [e for e in events if e.kind == ApplicationEvent.Kind.NOTE]
    assert [e for e in timeline(app, for_citizen=False) if e.kind == ApplicationEvent.Kind.NOTE]
    # the citizen got a notification at each step, the send-back with its own template
    sent = Notification.objects.filter(related_code=str(app.code), person=p.person)
    assert sent.count() == len(events)
    assert sent.filter(template="application.sent_back").count() == 1


def test_applying_for_a_family_member_under_a_mandate(app_personas, fake_vault):
    p = app_personas
    from tests.fixtures.applications import make_person
    _, child = make_person(name="Ayu Lestari", nik="3671016011260003")
    with pytest.raises(NotFound):
        start_bundle(p, applicant=child)
    Mandate.objects.create(actor=p.citizen, subject=child, basis=Mandate.Basis.FAMILY, evidence="KK yang sama")
    submission = fill(p, fake_vault, start_bundle(p, applicant=child))
    services.submission_submit(submission=submission, by=p.citizen)
    app = submission.applications.first()
    assert app.applicant == child and app.submitted_by == p.citizen
    assert access_application(p.citizen, app.code) == app


def test_inbox_keyset_pagination_is_ordered_and_complete(submitted, fake_vault):
    p, _ = submitted
    for _i in range(3):
        submission = fill(p, fake_vault, start_bundle(p))
        services.submission_submit(submission=submission, by=p.citizen)
    seen, cursor = [], None
    while True:
        page = inbox(p.verifier, cursor=cursor, limit=2)
        seen += page.rows
        cursor = page.next_cursor
        if not cursor:
            break
    # Disdukcapil holds all three parts of each of the four bundles
    assert len(seen) == 12 == len({a.pk for a in seen})
    assert [(a.due_at, a.pk) for a in seen] == sorted((a.due_at, a.pk) for a in seen)
    assert len(inbox(p.verifier, service_code="KIA").rows) == 4


def test_sla_check_warns_once_and_records_a_breach_once(submitted):
    p, submission = submitted
    app = submission.applications.get(service__public_code="KK_PERUBAHAN")
    warn_at = app.due_at - timedelta(hours=1)
    assert sla_check_run(now=warn_at)[0] >= 1
    assert sla_check_run(now=warn_at)[0] == 0
    warnings = Notification.objects.filter(template="application.deadline_warning", related_code=str(app.code))
    assert set(warnings.values_list("user_id", flat=True)) == {p.approver.pk, p.mall_manager.pk}
    assert sla_check_run(now=app.due_at + timedelta(minutes=1))[1] >= 1
    assert sla_check_run(now=app.due_at + timedelta(hours=2))[1] == 0
    assert app.events.filter(kind=ApplicationEvent.Kind.SLA_BREACH).count() == 1


def test_online_services_listing_has_the_ten_demo_services(app_personas):
    from satupintu.applications.selectors import online_services

    codes = set(online_services(p := app_personas.mall).values_list("public_code", flat=True))
    assert {"AKTA_KELAHIRAN", "KK_PERUBAHAN", "KIA", "KTPEL_HILANG_RUSAK", "AKTA_KEMATIAN", "PINDAH_KELUAR",
            "IZIN_REKLAME", "SIP_NAKES", "AK1", "SKCK"} <= codes
    agencies = set(Service.objects.filter(mall=p, public_code__in=codes).values_list("agency__slug", flat=True))
    assert {"DISDUKCAPIL", "DPMPTSP", "DISNAKER", "POLRES_METRO_TNG_KOTA"} <= agencies


def test_inbox_urgency_filter(submitted):
    p, submission = submitted
    due = min(a.due_at for a in submission.applications.all())
    assert inbox(p.verifier, urgency="overdue", now=due - timedelta(hours=1)).rows == []
    overdue = inbox(p.verifier, urgency="overdue", now=due + timedelta(minutes=1)).rows
    assert overdue and all(a.due_at < due + timedelta(minutes=1) for a in overdue)


def test_malformed_codes_are_not_found(app_personas):
    with pytest.raises(NotFound):
        access_application(app_personas.citizen, "not-a-uuid")
    with pytest.raises(NotFound):
        access_submission(app_personas.citizen, "../etc")


def test_front_desk_officer_files_for_a_citizen_under_an_assisted_digital_mandate(app_personas, fake_vault):
    p = app_personas
    from satupintu.catalogue.models import Agency
    from tests.fixtures.applications import make_officer

    helper = make_officer(email="loket@dpmptsp.test", mall=p.mall, agency=Agency.objects.get(slug="DPMPTSP"),
                          role="front_desk")
    with pytest.raises(NotFound):
        start_bundle(p, by=helper)
    Mandate.objects.create(actor=helper, subject=p.person, basis=Mandate.Basis.ASSISTED_DIGITAL,
                           evidence="KTP-el diperiksa di loket", mall=p.mall)
    submission = fill(p, fake_vault, start_bundle(p, by=helper), by=helper)
    services.submission_submit(submission=submission, by=helper)
    app = submission.applications.get(service__public_code="KIA")
    assert app.submitted_by == helper and app.applicant == p.person
    assert access_submission(helper, submission.code) == submission
    assert access_application(helper, app.code) == app  # as the citizen, not as an officer of the agency
    with pytest.raises(NotFound):
        services.application_transition(application=app, action="claim", by=helper)


def test_an_application_keeps_the_definition_version_it_was_started_under(app_personas, fake_vault):
    import copy

    from satupintu.applications.models import ApplicationDefinition

    p = app_personas
    submission = start_bundle(p)
    kia = Service.objects.get(mall=p.mall, public_code="KIA")
    v1 = ApplicationDefinition.objects.get(service=kia, status="published")
    schema = copy.deepcopy(v1.schema)
    schema["fields"].append({"name": "extra_question", "type": "text", "label": "Pertanyaan baru", "required": True})
    v2 = ApplicationDefinition.objects.create(service=kia, version=v1.version + 1, schema=schema)
    services.definition_publish(definition=v2)
    v1.refresh_from_db()
    assert v1.status == "retired"
    submission = fill(p, fake_vault, submission)
    services.submission_submit(submission=submission, by=p.citizen)  # v1 does not ask the new question
    app = submission.applications.get(service=kia)
    assert app.definition == v1
    assert "extra_question" in [f["name"] for f in merged_form(start_bundle(p))[0]]  # new drafts get v2
    v1.schema["fields"] = []
    with pytest.raises(Exception, match="tidak boleh diubah"):
        v1.save()


def test_admin_shows_every_problem_of_a_bad_definition(client, app_personas):
    from django.urls import reverse

    from satupintu.applications.models import ApplicationDefinition
    from satupintu.identity.models import User

    admin = User.objects.create_superuser("root@example.test", "pw-Test-12345", full_name="Root")
    client.force_login(admin)
    kia = Service.objects.get(mall=app_personas.mall, public_code="KIA")
    response = client.post(reverse("admin:applications_applicationdefinition_add"), {
        "service": kia.pk, "version": 9, "status": "draft",
        "schema": '{"fields": [{"name": "x", "type": "colour", "label": "X"}], "documents": '
                  '[{"kind": "kartu_ajaib", "label": "?"}], "steps": [], "output": {}}'})
    page = response.content.decode()
    assert response.status_code == 200
    assert "fields[0].type &#x27;colour&#x27; tidak dikenal" in page
    assert "documents[0].kind &#x27;kartu_ajaib&#x27; bukan jenis dokumen brankas" in page
    assert "steps wajib" in page
    assert not ApplicationDefinition.objects.filter(version=9).exists()


def test_admin_action_publishes_a_draft_and_retires_the_old_version(client, app_personas):
    from django.urls import reverse

    from satupintu.applications.models import ApplicationDefinition
    from satupintu.identity.models import User

    client.force_login(User.objects.create_superuser("root2@example.test", "pw-Test-12345", full_name="Root"))
    kia = Service.objects.get(mall=app_personas.mall, public_code="KIA")
    old = ApplicationDefinition.objects.get(service=kia, status="published")
    draft = ApplicationDefinition.objects.create(service=kia, version=old.version + 1, schema=old.schema)
    client.post(reverse("admin:applications_applicationdefinition_changelist"),
                {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    old.refresh_from_db()
    assert draft.status == "published" and draft.published_at and old.status == "retired"
