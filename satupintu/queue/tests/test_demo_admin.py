import io

import pytest

from satupintu.queue.models import QuotaTemplate, ServiceGroup


@pytest.mark.django_db
def test_demo_is_idempotent(catalogue):
    from satupintu.queue.demo import load

    load(io.StringIO())
    counts = (ServiceGroup.objects.count(), QuotaTemplate.objects.count())
    load(io.StringIO())
    assert (ServiceGroup.objects.count(), QuotaTemplate.objects.count()) == counts and counts[0] >= 10


@pytest.mark.django_db
def test_manager_changes_a_session_capacity_in_the_back_office_but_not_below_taken(queue_mall, booking_day, client):
    from satupintu.catalogue.models import Service
    from satupintu.queue import services
    from tests.fixtures.queue import make_citizen, make_officer

    manager = make_officer(queue_mall, None, role="mall_manager")
    manager.is_staff = True
    manager.save()
    service = Service.objects.get(mall=queue_mall, public_code="KTPEL_HILANG_RUSAK")
    quota = services.quotas_ensure(group=services.group_for_service(service), day=booking_day)[0]
    for _ in range(2):
        services.booking_create(person=make_citizen()[1], service=service, quota=quota)
    client.force_login(manager)
    url = f"/backoffice/queue/quota/{quota.pk}/change/"
    assert client.get(url).status_code == 200
    form = {"label": quota.label, "ends": quota.ends.strftime("%H:%M:%S"), "online_capacity": 9,
            "walkin_capacity": quota.walkin_capacity, "priority_capacity": quota.priority_capacity, "note": "Event"}
    assert client.post(url, form).status_code == 302
    quota.refresh_from_db()
    assert (quota.online_capacity, quota.online_remaining) == (9, 7)
    client.post(url, {**form, "online_capacity": 1})
    quota.refresh_from_db()
    assert (quota.online_capacity, quota.online_remaining) == (9, 7)
    other = make_officer(queue_mall, service.agency)
    other.is_staff = True
    other.save()
    client.force_login(other)
    assert client.get(url).status_code in (302, 403, 404)
