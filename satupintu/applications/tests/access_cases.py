"""Applications in the access matrix (identity's test_access_matrix.py imports this)."""

from __future__ import annotations

from satupintu.applications.access import access_application, access_submission
from satupintu.applications.demo import DEFINITIONS
from satupintu.applications.models import Application, ApplicationDefinition, Submission
from satupintu.catalogue.models import Service
from satupintu.identity.models import Role


def _submission(world) -> Submission:
    return Submission.objects.create(mall=world.mall, applicant=world.owner_person, submitted_by=world.owner,
                                     status=Submission.SubmissionStatus.SUBMITTED)


def _application(world) -> Application:
    service = Service.objects.filter(mall=world.mall, agency=world.agency).order_by("id").first()
    if service is None:
        service = Service.objects.create(mall=world.mall, agency=world.agency, public_code="MATRIX_TEST",
                                         name="Layanan uji matriks", online=True)
    definition = (ApplicationDefinition.objects.filter(service=service).first()
                  or ApplicationDefinition.objects.create(service=service, version=1,
                                                          schema=DEFINITIONS["AK1"]))
    return Application.objects.create(mall=world.mall, agency=world.agency, service=service, definition=definition,
                                      submission=_submission(world), applicant=world.owner_person,
                                      submitted_by=world.owner, status="submitted")


def access_matrix_cases():
    from satupintu.identity.tests.access_matrix import AccessCase

    officers = frozenset(r.value for r in Role)  # agency roles of its agency; mall roles of its mall
    return [
        AccessCase("applications.Application", _application, lambda u, o: access_application(u, o.code),
                   officers | {"owner"}),
        AccessCase("applications.Submission", _submission, lambda u, o: access_submission(u, o.code),
                   frozenset({"owner"})),
    ]
