"""After the demo is loaded and the identity flows have run, a `pg_dump` of the database
holds no NIK (nor KK number) in plain text — only ciphertexts and blind indexes."""

from __future__ import annotations

import glob
import io
import re
import subprocess
from datetime import date
from pathlib import Path

import httpx
import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from satupintu.identity.models import Person, Role, User
from satupintu.identity.tests.access_matrix import synthetic_nik

ROOT = Path(__file__).resolve().parents[3]
SIXTEEN = re.compile(r"(?<!\d)\d{16}(?!\d)")


def _pg_dump() -> str:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_dump"), key=lambda p: int(p.split("/")[4]))
    if not candidates:
        pytest.skip("pg_dump is not installed")
    return candidates[-1]


def _demo_source_niks() -> set[str]:
    """Every 16-digit number in the demo sources: the simulated registry's residents and KKs
    (simulators/), demo loaders and demo data files — whatever their format."""
    found: set[str] = set()
    paths = [*ROOT.glob("simulators/**/*.py"), *ROOT.glob("simulators/**/*.json"),
             *ROOT.glob("satupintu/*/demo.py"), *ROOT.glob("satupintu/*/*_demo.py"), *ROOT.glob("data/demo/**/*")]
    for path in paths:
        if path.is_file():
            found |= set(SIXTEEN.findall(path.read_text(encoding="utf-8", errors="ignore")))
    return found


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump needs PostgreSQL")
def test_database_dump_has_no_plaintext_nik(live_catalogue, simulators, settings, officer, officer_client):
    settings.AXES_ENABLED = True  # axes keeps what people type into login fields: it must be in the dump too
    call_command("load_demo", stdout=io.StringIO())
    created: set[str] = set()

    # a citizen with NIK and KK, looked up at the counter and helped (assisted digital)
    nik, kk = synthetic_nik(), "3671012001200001"
    user = User.objects.create_user(email="dump@contoh.test", password=None, full_name="Warga Dump")
    person = Person(account=user, full_name="Warga Dump", birth_date=date(1960, 5, 6))
    person.set_nik(nik)
    person.set_kk_number(kk)
    person.save()
    created |= {nik, kk}
    desk = officer(Role.FRONT_DESK, "DISDUKCAPIL")
    c = officer_client(desk)
    membership = desk.memberships.get()
    page = c.post("/petugas/warga/", {"nik": nik, "purpose": "Uji dump", "membership": str(membership.code)})
    c.post("/petugas/warga/mandat/", {"ticket": page.context["mandate_form"].initial["ticket"],
                                      "evidence": "KTP-el diperiksa"})
    # a look-up of a NIK nobody has, and a failed sign-in typed as a NIK
    missing = synthetic_nik()
    created.add(missing)
    c.post("/petugas/warga/", {"nik": missing, "purpose": "Uji dump", "membership": str(membership.code)})
    Client().post("/masuk/", {"username": missing, "password": "salah"})
    # a sign-in through SSO
    url = simulators["oidc"]
    settings.OIDC_ENABLED = True
    from satupintu.identity import oidc

    oidc._cache.clear()
    sso_nik = synthetic_nik()
    created.add(sso_nik)
    httpx.post(f"{url}/_control/user", json={"nik": sso_nik, "name": "Warga SSO", "birthdate": "1990-01-02"})
    sso = Client()
    start = sso.get("/sso/masuk/")
    back = httpx.get(start["Location"], follow_redirects=False).headers["location"]
    sso.get(back.replace("http://testserver", ""))
    assert Person.objects.filter(verified_by="oidc").exists()

    everyone = {p.nik for p in Person.objects.all()} | {p.kk_number for p in Person.objects.all() if p.kk_number}
    niks = created | everyone | _demo_source_niks()
    assert nik in everyone and sso_nik in everyone

    db = connection.settings_dict
    env = {"PGPASSWORD": db.get("PASSWORD") or ""}
    dump = subprocess.run(
        [_pg_dump(), "-h", db.get("HOST") or "127.0.0.1", "-p", str(db.get("PORT") or 5432), "-U", db["USER"],
         "--no-owner", "--data-only", db["NAME"]],
        capture_output=True, text=True, check=True, env=env, timeout=120,
    ).stdout
    assert person.nik_index in dump  # the dump really holds the citizens' rows
    assert "axes_accessattempt" in dump
    leaked = sorted(n for n in niks if n in dump)
    where = [line[:300] for line in dump.splitlines() if any(n in line for n in leaked)][:3]
    assert not leaked, f"{len(leaked)} NIK/KK numbers in plain text in pg_dump, e.g. {leaked[:3]} in {where}"
