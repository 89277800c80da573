from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from satupintu.catalogue.models import Agency, Service
from satupintu.complaints.access import (
    access_complaint_by_tracking,
    access_complaint_for_citizen,
    access_complaint_for_officer,
    complainant_visible_to,
)
from satupintu.complaints.models import Complaint
from satupintu.complaints.services import (
    complaint_acknowledge,
    complaint_answer,
    complaint_escalate_overdue,
    complaint_file,
    complaint_rate,
)
from satupintu.core.errors import DomainError, NotFound
from satupintu.notifications.models import Notification

TEXT = "Petugas meminta uang tambahan agar berkas saya diproses lebih cepat."


def _file(mall, **kw):
    defaults = dict(mall=mall, category="slow", description=TEXT, service_date=timezone.localdate(),
                    service=Service.objects.get(mall=mall, public_code="KTPEL_HILANG_RUSAK"))
    defaults.update(kw)
    return complaint_file(**defaults)


def test_routed_to_the_service_agency_with_working_day_deadlines(catalogue, complaint_people):
    # filed on Friday 20 March 2026, in the middle of Idul Fitri and its cuti bersama (20–24 March)
    c = _file(catalogue, complainant=complaint_people.person, today=date(2026, 3, 20),
              service_date=date(2026, 3, 19))
    assert c.agency.slug == "DISDUKCAPIL"
    # 3 working days: 25, 26, 27 March; then 5 more: 30, 31 March, 1, 2 April, 6 April (3 April is Good Friday)
    assert c.acknowledge_due == date(2026, 3, 27)
    assert c.answer_due == date(2026, 4, 6)
    assert c.tracking_code.startswith("ADU-") and len(c.tracking_code) == 14
    assert c.events.get().kind == "filed"
    note = Notification.objects.get(related_code=str(c.code))
    assert note.destination == complaint_people.citizen.phone and note.template == "complaint.status_changed"


@pytest.mark.parametrize("days_ago, ok", [(30, True), (31, False)])
def test_accepted_within_30_days_of_the_service(catalogue, days_ago, ok):
    today = date(2026, 11, 27)
    kwargs = dict(today=today, service_date=today - timedelta(days=days_ago))
    if ok:
        assert _file(catalogue, **kwargs).pk
    else:
        with pytest.raises(DomainError) as info:
            _file(catalogue, **kwargs)
        assert info.value.field == "service_date" and "30 hari" in str(info.value.message)
        assert not Complaint.objects.exists()


def test_bad_input_is_refused_clearly_and_writes_nothing(catalogue):
    cases = [
        (dict(description="pendek"), "description"),
        (dict(category="nonsense"), "category"),
        (dict(service_date=timezone.localdate() + timedelta(days=2)), "service_date"),
        (dict(category="illegal_fee", service=None, agency=Agency.objects.get(slug="DISDUKCAPIL")),
         "related_reference"),
        (dict(service=None, agency=Agency.objects.get(slug="DISDUKCAPIL_KOTA_SERANG")), "agency"),
    ]
    for kwargs, field in cases:
        with pytest.raises(DomainError) as info:
            _file(catalogue, **kwargs)
        assert info.value.field == field, kwargs
    assert not Complaint.objects.exists()


def test_illegal_fee_tied_to_the_transaction(catalogue, complaint_people):
    c = _file(catalogue, category="illegal_fee", related_reference="A-012", amount_demanded=50000,
              complainant=complaint_people.person)
    assert c.amount_demanded == 50000 and c.related_reference == "A-012"


def test_access_other_agency_gets_404_manager_sees_all(catalogue, complaint_people):
    c = _file(catalogue, complainant=complaint_people.person)
    assert access_complaint_for_officer(complaint_people.disdukcapil_officer, c.code) == c
    assert access_complaint_for_officer(complaint_people.manager, c.code) == c
    with pytest.raises(NotFound):
        access_complaint_for_officer(complaint_people.polres_officer, c.code)
    with pytest.raises(NotFound):
        access_complaint_for_officer(complaint_people.citizen, c.code)
    assert access_complaint_for_citizen(complaint_people.citizen, c.code) == c
    with pytest.raises(NotFound):
        access_complaint_for_citizen(complaint_people.polres_officer, c.code)
    with pytest.raises(NotFound):
        access_complaint_by_tracking("ADU-XXXXXXXXXX")


def test_confidential_and_anonymous_identity_hidden_from_agency(catalogue, complaint_people):
    confidential = _file(catalogue, complainant=complaint_people.person, confidential=True)
    assert not complainant_visible_to(confidential, complaint_people.disdukcapil_officer)
    assert not complainant_visible_to(confidential, complaint_people.manager)
    assert complainant_visible_to(confidential, complaint_people.citizen)
    anonymous = _file(catalogue, complainant=complaint_people.person, anonymous=True)
    assert anonymous.complainant is None and anonymous.anonymous
    open_one = _file(catalogue, complainant=complaint_people.person)
    assert complainant_visible_to(open_one, complaint_people.disdukcapil_officer)


def test_acknowledge_answer_rate_lifecycle(catalogue, complaint_people):
    c = _file(catalogue, complainant=complaint_people.person)
    officer = complaint_people.disdukcapil_officer
    with pytest.raises(DomainError):
        complaint_rate(complaint=c, rating=5)  # not answered yet
    c = complaint_acknowledge(complaint=c, by=officer)
    with pytest.raises(DomainError):
        complaint_answer(complaint=c, by=officer, answer="ok")  # too short
    c = complaint_answer(complaint=c, by=officer, answer="Petugas sudah kami tegur dan berkas Anda selesai hari ini.")
    assert c.status == "answered" and c.answered_on_time
    with pytest.raises(DomainError):
        complaint_rate(complaint=c, rating=9)
    c = complaint_rate(complaint=c, rating=4, comment="Cukup cepat")
    assert c.status == "closed" and c.rating == 4
    with pytest.raises(DomainError):
        complaint_rate(complaint=c, rating=5)  # only once
    assert [e.kind for e in c.events.all()] == ["filed", "acknowledged", "answered", "rated"]
    kinds = set(Notification.objects.filter(related_code=str(c.code)).values_list("dedupe_key", flat=True))
    assert {f"complaint:{c.code}:{k}" for k in ("filed", "acknowledged", "answered")} <= kinds


def test_missed_deadlines_escalate_once_to_the_mall_manager(catalogue, complaint_people):
    c = _file(catalogue, today=date(2026, 11, 2), service_date=date(2026, 11, 2))
    assert complaint_escalate_overdue(today=c.acknowledge_due) == []
    escalated = complaint_escalate_overdue(today=c.acknowledge_due + timedelta(days=1))
    assert [x.pk for x in escalated] == [c.pk]
    assert complaint_escalate_overdue(today=c.answer_due + timedelta(days=5)) == []  # once
    mail = Notification.objects.get(destination=complaint_people.manager.email)
    assert mail.context["event"] == "escalated"


def test_forward_and_sync_with_the_lapor_simulator(catalogue, simulators, simulator_pool):
    import json
    import urllib.request

    from satupintu.complaints.services import complaint_forward, complaint_sync_lapor
    from satupintu.integrations.lapor.client import LaporRetryable

    url = simulators["lapor"]
    c = _file(catalogue)
    forwarded = complaint_forward(complaint_id=c.pk)
    assert forwarded.lapor_id.startswith("LPR-") and forwarded.lapor_status == "Belum Diverifikasi"
    again = complaint_forward(complaint_id=c.pk)  # idempotent
    assert again.lapor_id == forwarded.lapor_id
    request = urllib.request.Request(f"{url}/_control", data=json.dumps({"advance": forwarded.lapor_id}).encode(),
                                     method="POST", headers={"Content-Type": "application/json"})
    urllib.request.urlopen(request, timeout=5)
    synced = complaint_sync_lapor(complaint=forwarded)
    assert synced.lapor_status == "Diverifikasi"
    assert synced.events.filter(kind="lapor_status").exists()
    # an outage is retryable: the complaint waits and is forwarded by the sweep later
    down = urllib.request.Request(f"{url}/_control", data=json.dumps({"mode": "down"}).encode(), method="POST",
                                  headers={"Content-Type": "application/json"})
    urllib.request.urlopen(down, timeout=5)
    pending = _file(catalogue)
    with pytest.raises(LaporRetryable):
        complaint_forward(complaint_id=pending.pk)
    pending.refresh_from_db()
    assert pending.lapor_id == "" and pending.lapor_error.startswith("retryable")
    up = urllib.request.Request(f"{url}/_control", data=json.dumps({"mode": "ok"}).encode(), method="POST",
                                headers={"Content-Type": "application/json"})
    urllib.request.urlopen(up, timeout=5)
    call_command("complaints_sweep")
    pending.refresh_from_db()
    assert pending.lapor_id.startswith("LPR-") and pending.lapor_error == ""
