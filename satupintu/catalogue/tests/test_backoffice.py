"""The back office (Django admin at /backoffice/): staff only, every change in the audit
trail with who and from→to, and a "Riwayat perubahan" page per object."""

import pytest
from django.urls import reverse

from satupintu.catalogue.models import Closure, Mall, OpeningHours, Service
from satupintu.core.models import AuditEvent


@pytest.fixture
def manager(db, django_user_model):
    return django_user_model.objects.create_superuser(email="pengelola@example.go.id", password="rahasia-123-xyz")


@pytest.fixture
def staff_client(client, manager):
    client.force_login(manager)
    return client


def _mall_form(mall, **overrides):
    data = {
        "slug": mall.slug, "name": mall.name, "region": mall.region_id, "village": mall.village_id or "",
        "address": mall.address, "timezone": mall.timezone, "phone": mall.phone, "email": mall.email,
        "website": mall.website, "manager_name": mall.manager_name, "hours_note": mall.hours_note,
        "online_channels": "[]", "facts": "{}", "ikm_weight": mall.ikm_weight, "is_demo": "on",
    }
    hours = list(mall.opening_hours.all())
    data.update({"opening_hours-TOTAL_FORMS": str(len(hours)), "opening_hours-INITIAL_FORMS": str(len(hours)),
                 "opening_hours-MIN_NUM_FORMS": "0", "opening_hours-MAX_NUM_FORMS": "1000",
                 "closures-TOTAL_FORMS": "1", "closures-INITIAL_FORMS": "0",
                 "closures-MIN_NUM_FORMS": "0", "closures-MAX_NUM_FORMS": "1000"})
    for i, h in enumerate(hours):
        data.update({f"opening_hours-{i}-id": h.pk, f"opening_hours-{i}-mall": mall.pk,
                     f"opening_hours-{i}-weekday": h.weekday, f"opening_hours-{i}-opens": h.opens.strftime("%H:%M"),
                     f"opening_hours-{i}-closes": h.closes.strftime("%H:%M")})
    data.update({"closures-0-mall": mall.pk, "closures-0-date": "", "closures-0-kind": "local",
                 "closures-0-reason": ""})
    data.update(overrides)
    return data


def test_non_staff_get_the_login_page(client, catalogue, django_user_model):
    assert client.get("/backoffice/").status_code == 302
    citizen = django_user_model.objects.create_user(email="warga@example.com", password="rahasia-123-xyz")
    client.force_login(citizen)
    r = client.get("/backoffice/catalogue/mall/", follow=True)
    # The back office's login is the officer sign-in (password, then TOTP: identity app).
    assert r.redirect_chain[-1][0].split("?")[0] in (reverse("admin:login"), reverse("identity:officer_login"))
    assert 'name="password"' in r.content.decode() and "Mal pelayanan publik" not in r.content.decode()


def test_backoffice_speaks_indonesian(staff_client, catalogue):
    html = staff_client.get("/backoffice/").content.decode()
    assert "Pengelolaan" in html and "Layanan" in html and 'lang="id"' in html


def test_mall_change_with_inline_hours_and_closure_is_audited(staff_client, catalogue, manager):
    mall = catalogue
    first = mall.opening_hours.order_by("weekday", "opens").first()
    url = reverse("admin:catalogue_mall_change", args=[mall.pk])
    data = _mall_form(mall, phone="021-5555", **{
        "opening_hours-0-closes": "16:30",
        "closures-0-date": "2026-12-24", "closures-0-kind": "cuti_bersama", "closures-0-reason": "Cuti bersama Natal",
    })
    r = staff_client.post(url, data)
    assert r.status_code == 302, r.content.decode()[:3000]
    mall.refresh_from_db()
    assert mall.phone == "021-5555"
    change = AuditEvent.objects.filter(action="admin.change", object_type="catalogue.mall",
                                       object_code=str(mall.code)).latest("seq")
    assert change.actor_id == manager.pk
    assert change.data["changes"]["phone"] == {"from": "", "to": "021-5555"}
    hours = AuditEvent.objects.filter(object_type="catalogue.openinghours", object_code=str(first.pk)).latest("seq")
    assert hours.data["changes"]["closes"]["to"] in ("16:30:00", "16:30")
    assert hours.data["parent_code"] == str(mall.code)
    closure = Closure.objects.get(mall=mall, date="2026-12-24")
    added = AuditEvent.objects.filter(action="admin.add", object_type="catalogue.closure",
                                      object_code=str(closure.pk)).get()
    assert added.data["changes"]["reason"]["to"] == "Cuti bersama Natal"
    # The history page shows the diffs, from -> to, for the mall and its inline rows.
    html = staff_client.get(reverse("admin:catalogue_mall_history", args=[mall.pk])).content.decode()
    assert "Riwayat perubahan" in html and "021-5555" in html and "Cuti bersama Natal" in html
    assert "16:30" in html


def test_service_edit_in_structured_text_is_validated_and_audited(staff_client, catalogue):
    service = Service.objects.get(mall=catalogue, public_code="SKCK")
    url = reverse("admin:catalogue_service_change", args=[service.pk])
    form = staff_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k not in ("facts",)}
    for name in ("requirements_text", "procedure_text", "fees_text"):
        data[name] = form[name].value()
    data.update({"mall": service.mall_id, "agency": service.agency_id, "manufacturing": "{}",
                 "search_aliases": "[]", "is_active": "on", "at_counter": "on"})
    data["fees_text"] = "SKCK | tiga puluh ribu"
    r = staff_client.post(url, data)
    assert r.status_code == 200
    assert "bukan angka rupiah" in r.content.decode()
    service.refresh_from_db()
    assert service.fees[0]["amount"] == 30000  # nothing changed
    data["fees_text"] = "SKCK | 35.000 | PNBP"
    data["procedure_text"] = data["procedure_text"].replace("\n", "\r\n")  # as a browser sends it
    data["requirements_text"] = "KTP-el\nKK\n## pelajar\nKartu pelajar"
    r = staff_client.post(url, data)
    assert r.status_code == 302, r.content.decode()[:2000]
    service.refresh_from_db()
    assert service.fees == [{"label": "SKCK", "amount": 35000, "text": "PNBP"}]
    assert [g["variant"] for g in service.requirements] == ["", "pelajar"]
    assert service.facts["biaya"]["provenance"] == "confirmed"
    assert service.facts["prosedur"]["provenance"] != "confirmed"  # untouched: keeps its provenance
    event = AuditEvent.objects.filter(action="admin.change", object_code=str(service.code)).latest("seq")
    assert event.data["changes"]["fees"]["from"][0]["amount"] == 30000
    assert event.data["changes"]["fees"]["to"][0]["amount"] == 35000


def test_history_page_is_staff_only(client, catalogue):
    mall = Mall.objects.get(slug="kota-tangerang")
    r = client.get(reverse("admin:catalogue_mall_history", args=[mall.pk]))
    assert r.status_code == 302 and "history" not in r.content.decode()
    assert r["Location"].split("?")[0] in (reverse("admin:login"), reverse("identity:officer_login"))


def test_opening_hours_edit_invalidates_cached_pages(client, catalogue):
    url = "/mal/kota-tangerang/"
    client.get(url)
    assert client.get(url)["X-Cache"] == "hit"
    OpeningHours.objects.filter(mall=catalogue).update(opens="07:30")  # bulk update: no signal
    assert client.get(url)["X-Cache"] == "hit"
    h = OpeningHours.objects.filter(mall=catalogue).first()
    h.save()
    r = client.get(url)
    assert r["X-Cache"] == "miss" and "07.30" in r.content.decode()
