"""API for partner apps and the citizen's own apps: list services that can be applied for
online, drafts, documents, submit (Idempotency-Key), status and timeline, outputs.
Access: the citizen who owns the application or holds a mandate; anything else is 404."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from ninja import File, Form, Router, Schema
from ninja import Status as HttpStatus
from ninja.files import UploadedFile
from ninja.security import django_auth

from satupintu.applications import integration, selectors, services
from satupintu.applications.access import access_application, access_submission
from satupintu.applications.answers import plain
from satupintu.applications.models import Application, Bundle, Submission
from satupintu.applications.workflow import Status
from satupintu.catalogue.models import Mall, Service
from satupintu.core.errors import DomainError, NotFound
from satupintu.core.idempotency import run_idempotent
from satupintu.identity.access import person_of, persons_actor_may_act_for
from satupintu.identity.models import Person

router = Router(tags=["permohonan / applications"])


class OnlineServiceOut(Schema):
    code: str
    name: str
    mall: str
    agency: str
    definition_version: int


class BundleOut(Schema):
    code: str
    mall: str
    name: str
    services: list[str]


class DraftIn(Schema):
    mall: str
    services: list[str] = []
    bundle: str | None = None
    applicant: str | None = None  # person code when applying for a family member / under a mandate


class AnswersIn(Schema):
    answers: dict[str, Any]


class AttachIn(Schema):
    kind: str
    vault_code: str


class ResubmitIn(Schema):
    answers: dict[str, Any] = {}
    documents: dict[str, str] = {}


class PartOut(Schema):
    code: str
    service: str
    agency: str
    status: str
    status_label: str
    reference: str | None
    due_at: datetime | None


class SubmissionOut(Schema):
    code: str
    status: str
    applicant: str
    answers: dict[str, Any]
    documents: dict[str, str]
    fields: list[dict[str, Any]]
    required_documents: list[dict[str, Any]]
    missing: list[dict[str, str]]
    parts: list[PartOut]


class EventOut(Schema):
    at: datetime
    status: str
    status_label: str
    action: str
    by: str
    text: str


class ApplicationOut(Schema):
    code: str
    reference: str | None
    service: str
    agency: str
    status: str
    status_label: str
    submitted_at: datetime | None
    due_at: datetime | None
    held_by: dict[str, Any] | None
    sent_back_items: dict[str, str]
    output_url: str
    timeline: list[EventOut]


def _part(a: Application) -> dict:
    return {"code": str(a.code), "service": a.service.public_code, "agency": a.agency.slug, "status": a.status,
            "status_label": str(Status(a.status).label), "reference": a.reference, "due_at": a.due_at}


def _submission(s: Submission) -> dict:
    fields, docs = selectors.merged_form(s)
    return {"code": str(s.code), "status": s.status, "applicant": str(s.applicant.code), "answers": plain(s.answers),
            "documents": s.documents, "fields": fields, "required_documents": docs,
            "missing": [{"field": f, "message": str(m)} for f, m in services.submission_problems(s)],
            "parts": [_part(a) for a in s.applications.select_related("service", "agency").order_by("id")]}


def _application(a: Application) -> dict:
    h = selectors.holder(a)
    return {"code": str(a.code), "reference": a.reference, "service": a.service.public_code, "agency": a.agency.slug,
            "status": a.status, "status_label": str(Status(a.status).label), "submitted_at": a.submitted_at,
            "due_at": a.due_at, "held_by": h.__dict__ if h else None,
            "sent_back_items": dict(a.documents.filter(verdict="sent_back").values_list("kind", "reason")),
            "output_url": a.output_url,
            "timeline": [{"at": e.at, "status": e.to_status, "status_label": str(Status(e.to_status).label)
                          if e.to_status else "", "action": e.action or e.kind,
                          "by": "citizen" if e.actor_role == "citizen" else (e.agency.slug if e.agency else ""),
                          "text": e.text} for e in selectors.timeline(a, for_citizen=True)]}


@router.get("/applications/services", response=list[OnlineServiceOut], auth=None,
            summary="Layanan yang dapat diajukan daring / Services that can be applied for online")
def list_online_services(request, mall: str | None = None):
    mall_obj = get_object_or_404(Mall, slug=mall) if mall else None
    result = []
    for s in selectors.online_services(mall_obj):
        d = selectors.published_definition(s)
        result.append({"code": s.public_code, "name": s.name, "mall": s.mall.slug, "agency": s.agency.slug,
                       "definition_version": d.version})
    return result


@router.get("/applications/bundles", response=list[BundleOut], auth=None, summary="Paket layanan / Bundles")
def list_bundles(request):
    return [{"code": b.slug, "mall": b.mall.slug, "name": b.name, "services": b.service_codes}
            for b in Bundle.objects.filter(is_active=True).select_related("mall")]


@router.post("/applications/drafts", response={201: SubmissionOut}, auth=django_auth,
             summary="Mulai draf / Start a draft")
def draft_create(request, payload: DraftIn):
    mall = Mall.objects.filter(slug=payload.mall).first()
    if mall is None:
        raise DomainError("Mal tidak ditemukan. / Mall not found.", code="unknown_mall", field="mall")
    applicant = person_of(request.user)
    if payload.applicant:
        allowed = persons_actor_may_act_for(request.user)
        applicant = Person.objects.filter(code=payload.applicant, pk__in=allowed).first()
    if applicant is None:
        raise NotFound()
    bundle = Bundle.objects.filter(mall=mall, slug=payload.bundle).first() if payload.bundle else None
    if payload.bundle and bundle is None:
        raise DomainError("Paket tidak ditemukan. / Bundle not found.", code="unknown_bundle", field="bundle")
    found = {s.public_code: s for s in Service.objects.filter(mall=mall, public_code__in=payload.services)}
    missing = [c for c in payload.services if c not in found]
    if missing:
        raise DomainError(f"Layanan tidak dikenal / unknown service: {', '.join(missing)}", code="unknown_service",
                          field="services")
    submission = services.submission_start(mall=mall, applicant=applicant, by=request.user, bundle=bundle,
                                           services=[found[c] for c in payload.services] or None)
    return HttpStatus(201, _submission(submission))


@router.get("/applications/drafts/{code}", response=SubmissionOut, auth=django_auth, summary="Draf / Draft")
def draft_get(request, code: str):
    return _submission(access_submission(request.user, code))


@router.patch("/applications/drafts/{code}", response=SubmissionOut, auth=django_auth,
              summary="Simpan jawaban / Save answers")
def draft_update(request, code: str, payload: AnswersIn):
    submission = access_submission(request.user, code)
    return _submission(services.submission_save_answers(submission=submission, answers=payload.answers,
                                                        by=request.user))


@router.post("/applications/drafts/{code}/documents", response=SubmissionOut, auth=django_auth,
             summary="Lampirkan dokumen dari brankas / Attach a vault document")
def draft_attach(request, code: str, payload: AttachIn):
    submission = access_submission(request.user, code)
    return _submission(services.submission_attach_document(submission=submission, kind=payload.kind,
                                                           vault_code=payload.vault_code, by=request.user))


@router.post("/applications/drafts/{code}/documents/upload", response=SubmissionOut, auth=django_auth,
             summary="Unggah dokumen baru ke brankas lalu lampirkan / Upload to the vault and attach")
def draft_upload(request, code: str, kind: Form[str], file: File[UploadedFile]):
    submission = access_submission(request.user, code)
    vault_code = integration.vault_upload(person=submission.applicant, kind=kind, uploaded_file=file, by=request.user)
    return _submission(services.submission_attach_document(submission=submission, kind=kind, vault_code=vault_code,
                                                           by=request.user))


@router.post("/applications/drafts/{code}/submit", response={201: SubmissionOut, 200: SubmissionOut},
             auth=django_auth, summary="Ajukan (dengan Idempotency-Key) / Submit (with Idempotency-Key)")
def draft_submit(request, code: str):
    submission = access_submission(request.user, code)

    def action():
        return 201, _submission(services.submission_submit(submission=submission, by=request.user))

    status, body, _replayed = run_idempotent(scope="applications.submit", owner=str(request.user.code),
                                             key=request.headers.get("Idempotency-Key"),
                                             body={"submission": code}, action=action)
    return HttpStatus(status, body)


@router.get("/applications/{code}", response=ApplicationOut, auth=django_auth,
            summary="Status dan riwayat / Status and timeline")
def application_get(request, code: str):
    return _application(access_application(request.user, code))


@router.post("/applications/{code}/resubmit", response=ApplicationOut, auth=django_auth,
             summary="Kirim perbaikan / Resubmit after a send-back")
def application_resubmit(request, code: str, payload: ResubmitIn):
    application = access_application(request.user, code)
    return _application(services.application_resubmit(application=application, by=request.user,
                                                      documents=payload.documents, answers=payload.answers))


@router.post("/applications/{code}/withdraw", response=ApplicationOut, auth=django_auth,
             summary="Batalkan / Withdraw")
def application_withdraw(request, code: str):
    application = access_application(request.user, code)
    return _application(services.application_transition(application=application, action="withdraw",
                                                         by=request.user))


@router.get("/applications/{code}/output", auth=django_auth, response={302: None},
            summary="Unduh hasil / Download the output")
def application_output(request, code: str):
    application = access_application(request.user, code)
    if not application.output_url:
        raise NotFound()
    return HttpResponseRedirect(application.output_url)
