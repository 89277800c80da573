"""The demo loader: idempotent, ten services of four agencies, and one application for the
demo citizen once the documents demo has filled their vault."""

import io

from satupintu.applications.demo import load
from satupintu.applications.models import Application, ApplicationDefinition, Bundle


def test_demo_is_idempotent_and_submits_one_application_for_the_demo_citizen(catalogue, esign_demo_dir):
    from satupintu.documents.demo import load as load_documents
    from tests.fixtures.applications import make_person

    make_person(name="Dewi Lestari", nik="3671015505900004", email="warga@demo.satupintu.id",
                phone="+6281299900001", kk="3671010101260009")
    load_documents(io.StringIO())
    load(io.StringIO())
    load(io.StringIO())
    assert ApplicationDefinition.objects.filter(status="published").count() >= 10
    assert Bundle.objects.filter(slug="kelahiran").count() == 1
    apps = Application.objects.filter(applicant__account__email="warga@demo.satupintu.id")
    assert apps.count() == 1 and apps.get().status == "submitted" and apps.get().reference
