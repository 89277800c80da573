import io
from datetime import date

import pytest

from satupintu.documents import demo
from satupintu.documents.models import IssuedDocument, VaultDocument

pytestmark = pytest.mark.django_db


def test_demo_skips_without_a_citizen(catalogue):
    out = io.StringIO()
    assert demo.load(out) == []
    assert "no demo citizen" in out.getvalue()
    assert VaultDocument.objects.count() == 0


def test_demo_is_idempotent(catalogue, esign_demo_dir):
    from satupintu.identity.models import Person, User

    user = User.objects.create_user(email="warga@demo.satupintu.id", password="x", full_name="Warga Demo")
    person = Person(account=user, full_name="Warga Demo", birth_date=date(1988, 1, 2))
    person.set_nik("3671010201880001")
    person.save()
    demo.load(io.StringIO())
    demo.load(io.StringIO())
    assert sorted(VaultDocument.objects.values_list("kind", flat=True)) == ["akta_perkawinan", "kk", "pas_foto"]
    assert IssuedDocument.objects.count() == 1
