"""The demo logins that `make demo` prints let a newcomer sign in as every demo officer."""

from __future__ import annotations

import io
import json
import re

from django.core.management import call_command
from django.test import Client

from satupintu.identity.models import Membership, Role, User


def test_every_printed_officer_login_signs_in_with_its_totp_code(catalogue, tmp_path):
    out = tmp_path / "logins.json"
    call_command("load_demo", "--logins-json", str(out), stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())  # idempotent: no duplicate officers or devices
    logins = [login for login in json.loads(out.read_text()) if "demo_totp" in login["note"]]
    assert len(logins) >= 8
    for login in logins:
        command = re.search(r"manage\.py (demo_totp \S+)`", login["note"])[1].split()
        printed = io.StringIO()
        call_command(*command, stdout=printed)
        code = re.search(r"TOTP code: (\d{6})", printed.getvalue())[1]
        c = Client()
        response = c.post("/petugas/masuk/", {"username": login["login"], "password": login["password"]})
        assert response.status_code == 302, login
        response = c.post("/petugas/masuk/kode/", {"token": code})
        assert response.status_code == 302 and "/masuk/" not in response["Location"], login
        assert c.get("/petugas/").status_code == 200
    roles = set(Membership.objects.filter(user__email__endswith="@demo.satupintu.id").values_list("role", flat=True))
    assert roles == {r.value for r in Role}
    assert User.objects.filter(email="loket.polres@demo.satupintu.id").get().memberships.get().agency.slug == \
        "POLRES_METRO_TNG_KOTA"
