"""Writes of the applications domain. Every state change: one function, one transaction,
the row locked, the transition table checked, the actor's role for the current step
checked, an ApplicationEvent, an audit row and an outbox notification written together."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.applications import integration, sla
from satupintu.applications.answers import seal
from satupintu.applications.definition import DefinitionInvalid, clean_value, is_visible
from satupintu.applications.models import (
    Application,
    ApplicationDefinition,
    ApplicationDocument,
    ApplicationEvent,
    Bundle,
    ReferenceCounter,
    Submission,
)
from satupintu.applications.selectors import merged_form, published_definition
from satupintu.applications.workflow import CITIZEN, PAUSES_CLOCK, RESUMES_CLOCK, Status, step_role, transition_for
from satupintu.core.audit import audit_record
from satupintu.core.calendar import mall_closures
from satupintu.core.errors import Conflict, DomainError, NotFound
from satupintu.identity.access import memberships, persons_actor_may_act_for
from satupintu.identity.models import Role

NOTIFY_TEMPLATES = {
    "send_back": "application.sent_back",
    "issue_output": "application.output_issued",
}


# ---------------------------------------------------------------- definitions
@transaction.atomic
def definition_publish(*, definition: ApplicationDefinition, by=None) -> ApplicationDefinition:
    """Publish a draft version; the previously published one is retired (kept for the
    applications started under it)."""
    definition = ApplicationDefinition.objects.select_for_update().get(pk=definition.pk)
    if definition.status != ApplicationDefinition.DefinitionStatus.DRAFT:
        raise Conflict(_("Hanya versi draf yang dapat diterbitkan."), code="definition_not_draft")
    ApplicationDefinition.objects.filter(service=definition.service, status="published").update(status="retired")
    definition.status = ApplicationDefinition.DefinitionStatus.PUBLISHED
    definition.published_at = timezone.now()
    definition.save()
    audit_record(action="application_definition.publish", actor=by, obj=definition,
                 mall_id=definition.service.mall_id, agency_id=definition.service.agency_id,
                 data={"version": definition.version})
    return definition


# ---------------------------------------------------------------- drafts
def _check_may_act_for(by, person) -> None:
    if person.pk not in persons_actor_may_act_for(by):
        raise NotFound()


@transaction.atomic
def submission_start(*, mall, applicant, by, services: list | None = None, bundle: Bundle | None = None) -> Submission:
    """A server-side draft for one service or a bundle, for the applicant (self, family
    member or under a mandate), with one draft Application per part."""
    _check_may_act_for(by, applicant)
    if bundle is not None:
        from satupintu.catalogue.models import Service

        by_code = {s.public_code: s for s in Service.objects.filter(mall=mall, public_code__in=bundle.service_codes)}
        services = [by_code[c] for c in bundle.service_codes if c in by_code]
    if not services:
        raise DomainError(_("Pilih minimal satu layanan."), code="no_service")
    submission = Submission.objects.create(mall=mall, bundle=bundle, applicant=applicant, submitted_by=by)
    for service in services:
        definition = published_definition(service)
        if definition is None or not service.online:
            raise DomainError(_("Layanan %(s)s belum dapat diajukan secara daring.") % {"s": service.name},
                              code="service_not_online")
        Application.objects.create(mall=mall, agency=service.agency, service=service, definition=definition,
                                   submission=submission, applicant=applicant, submitted_by=by)
    submission.answers = _prefill(submission)
    submission.documents = _from_vault(submission)
    submission.save(update_fields=["answers", "documents", "updated_at"])
    audit_record(action="submission.start", actor=by, obj=submission, subject_person=str(applicant.code),
                 mall_id=mall.pk, on_behalf_of=str(applicant.code) if applicant.account_id != by.pk else "")
    return submission


def _prefill(submission: Submission) -> dict:
    """Once only: what the profile already knows is filled in for the citizen to check."""
    person = submission.applicant
    known = {"profile.full_name": person.full_name, "profile.birth_date": person.birth_date.isoformat(),
             "profile.birth_place": person.birth_place, "profile.nik": person.nik}
    account = person.account
    if account is not None:
        known["profile.phone"] = account.phone or ""
        known["profile.email"] = account.email or ""
    if person.kk_encrypted:
        known["registry.kk_number"] = person.kk_number
    answers = {}
    for field in merged_form(submission)[0]:
        value = known.get(field.get("prefill") or "")
        if value:
            answers[field["name"]] = seal(field, value)
    return answers


def _is_village(code: str) -> bool:
    from satupintu.catalogue.models import Region

    return Region.objects.filter(code=code, level=Region.Level.VILLAGE).exists()


def _from_vault(submission: Submission) -> dict:
    """Once only: the newest vault document of each needed kind is attached already."""
    kinds = [d["kind"] for d in merged_form(submission)[1]]
    attached: dict[str, str] = {}
    for row in integration.vault_documents(person=submission.applicant, kinds=kinds):
        attached.setdefault(row["kind"], row["code"])
    return attached


def _lock_draft(submission: Submission, by) -> Submission:
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    _check_may_act_for(by, submission.applicant)
    return submission


@transaction.atomic
def submission_save_answers(*, submission: Submission, answers: dict[str, Any], by,
                            allow_after_submit: bool = False) -> Submission:
    """Validate and store some answers (a page of the form, or an API update). Unknown
    names and invalid values are refused with one message per field; nothing is stored then."""
    submission = _lock_draft(submission, by)
    if submission.status != Submission.SubmissionStatus.DRAFT and not allow_after_submit:
        raise Conflict(_("Permohonan ini sudah diajukan dan tidak dapat diubah lagi."), code="not_draft")
    fields = {f["name"]: f for f in merged_form(submission)[0]}
    cleaned, errors = {}, {}
    for name, raw in answers.items():
        field = fields.get(name)
        if field is None:
            errors[name] = _("Kolom '%(n)s' tidak ada di formulir layanan ini.") % {"n": name}
            continue
        try:
            cleaned[name] = clean_value(field, raw)
        except DefinitionInvalid as exc:
            errors[name] = exc.errors[0]
            continue
        if field["type"] == "address" and cleaned[name] is not None and not _is_village(cleaned[name]["village"]):
            errors[name] = _("%(l)s: pilih kelurahan/desa dari daftar wilayah.") % {"l": field["label"]}
    if errors:
        name, message = next(iter(errors.items()))
        raise DomainError(message, code="invalid_answer", field=name, details={"problems": [
            {"field": n, "message": str(m)} for n, m in errors.items()]})
    submission.answers = {**submission.answers, **{n: seal(fields[n], v) for n, v in cleaned.items()}}
    submission.save(update_fields=["answers", "updated_at"])
    return submission


@transaction.atomic
def submission_attach_document(*, submission: Submission, kind: str, vault_code: str, by,
                               allow_after_submit: bool = False) -> Submission:
    submission = _lock_draft(submission, by)
    if submission.status != Submission.SubmissionStatus.DRAFT and not allow_after_submit:
        raise Conflict(_("Permohonan ini sudah diajukan."), code="not_draft")
    kinds = [d["kind"] for d in merged_form(submission)[1]]
    if kind not in kinds:
        raise DomainError(_("Dokumen jenis '%(k)s' tidak diminta oleh layanan ini.") % {"k": kind},
                          code="document_not_requested", field="kind")
    if integration.vault_document_kind(person=submission.applicant, code=vault_code, kinds=[kind]) != kind:
        raise DomainError(_("Dokumen itu tidak ada di brankas pemohon atau jenisnya bukan '%(k)s'.") % {"k": kind},
                          code="document_not_in_vault", field="vault_code")
    submission.documents = {**submission.documents, kind: str(vault_code)}
    submission.save(update_fields=["documents", "updated_at"])
    return submission


def submission_problems(submission: Submission) -> list[tuple[str, str]]:
    """What is still missing before submit, as (field or doc:kind, message)."""
    fields, docs = merged_form(submission)
    problems: list[tuple[str, str]] = []
    for field in fields:
        if not is_visible(field, submission.answers):
            continue
        value = submission.answers.get(field["name"])
        if field.get("required", True) and value in (None, ""):
            problems.append((field["name"], _("%(l)s belum diisi.") % {"l": field["label"]}))
    for doc in docs:
        if doc.get("required", True) and doc["kind"] not in submission.documents:
            problems.append((f"doc:{doc['kind']}", _("Dokumen %(l)s belum dilampirkan.") % {"l": doc["label"]}))
    return problems


def _next_reference(mall) -> str:
    year = timezone.localdate().year
    ReferenceCounter.objects.get_or_create(mall=mall, year=year)
    # one conditional UPDATE takes the row lock; the read after it sees our own increment
    ReferenceCounter.objects.filter(mall=mall, year=year).update(last=F("last") + 1)
    number = ReferenceCounter.objects.get(mall=mall, year=year).last
    region = mall.region.code.replace(".", "")
    return f"MPP-{region}-{year}-{number:06d}"


@transaction.atomic
def submission_submit(*, submission: Submission, by) -> Submission:
    """Every part becomes a submitted Application with its own reference number, routed to
    its agency, with its SLA due date. Run through run_idempotent by callers."""
    submission = _lock_draft(submission, by)
    if submission.status != Submission.SubmissionStatus.DRAFT:
        raise Conflict(_("Permohonan ini sudah diajukan."), code="already_submitted")
    problems = submission_problems(submission)
    if problems:
        raise DomainError(problems[0][1], code="incomplete", field=problems[0][0],
                          details={"problems": [{"field": f, "message": str(m)} for f, m in problems]})
    now = timezone.now()
    closures = mall_closures(submission.mall_id)
    for application in submission.applications.select_for_update().select_related("service__mall", "definition"):
        schema = application.definition.schema
        application.answers = {f["name"]: submission.answers.get(f["name"]) for f in schema.get("fields", [])
                               if is_visible(f, submission.answers) and f["name"] in submission.answers}
        for doc in schema.get("documents", []):
            if doc["kind"] in submission.documents:
                ApplicationDocument.objects.create(application=application, kind=doc["kind"], label=doc["label"],
                                                   vault_code=submission.documents[doc["kind"]],
                                                   original_at_counter=doc.get("original_at_counter", False))
        application.reference = _next_reference(submission.mall)
        application.submitted_at = now
        application.due_at = sla.service_due(application.service, now, closures)
        application.save(update_fields=["answers", "reference", "submitted_at", "due_at", "updated_at"])
        _apply(application, "submit", by=by, role=CITIZEN, now=now, closures=closures)
    submission.status = Submission.SubmissionStatus.SUBMITTED
    submission.submitted_at = now
    submission.save(update_fields=["status", "submitted_at", "updated_at"])
    return submission


# ---------------------------------------------------------------- workflow
def _actor_role(application: Application, action: str, by) -> str:
    """CITIZEN, or the agency role the officer holds for the current step; else refuse."""
    transition = transition_for(action, application.status)
    if transition is None:
        raise Conflict(
            _("Tindakan '%(a)s' tidak dapat dilakukan pada status '%(s)s'.")
            % {"a": action, "s": Status(application.status).label}, code="transition_not_allowed")
    if transition.by == CITIZEN:
        if application.applicant_id not in persons_actor_may_act_for(by):
            raise NotFound()
        return CITIZEN
    role = step_role(application.definition.steps, application.status)
    held = memberships(by).filter(mall_id=application.mall_id, agency_id=application.agency_id)
    if not held.exists():
        raise NotFound()
    if not held.filter(role=role).exists():
        raise DomainError(_("Langkah ini dikerjakan oleh peran %(r)s; Anda tidak memiliki peran itu.")
                          % {"r": Role(role).label}, code="wrong_role", status=403)
    return role


def _lock(application: Application) -> Application:
    return (Application.objects.select_for_update(of=("self",)).select_related("definition", "service__mall",
                                                                                  "applicant__account", "mall")
            .get(pk=application.pk))


# the survey (SKM) is offered once the citizen has the result
SURVEY_AFTER = (Status.OUTPUT_ISSUED, Status.HANDED_OVER, Status.COMPLETED)


def _apply(application: Application, action: str, *, by, role: str, now: datetime, closures, text: str = "",
           data: dict | None = None, event_visible: bool = True, notify_extra: dict | None = None) -> ApplicationEvent:
    transition = transition_for(action, application.status)
    assert transition is not None
    source = application.status
    application.status = transition.target
    fields = ["status", "updated_at"]
    mall = application.service.mall
    if action in PAUSES_CLOCK:
        application.paused_at = now
        fields.append("paused_at")
    if action in RESUMES_CLOCK and application.paused_at and application.due_at:
        application.due_at = sla.shift_for_pause(mall, application.due_at, application.paused_at, now, closures)
        application.paused_at = None
        application.warned_at = None
        fields += ["due_at", "paused_at", "warned_at"]
    step_key = {"submitted": "verification", "in_processing": "processing", "awaiting_approval": "approval",
                "approved": "output"}.get(transition.target)
    if step_key:
        target = next((s.get("target_days", 1) for s in application.definition.steps if s["key"] == step_key), None)
        if target is not None:
            application.step_due_at = sla.step_due(mall, now, target, closures)
            fields.append("step_due_at")
    if action == "claim":
        application.claimed_by = by
        fields.append("claimed_by")
    if transition.target in (Status.HANDED_OVER, Status.COMPLETED, Status.REJECTED, Status.WITHDRAWN):
        application.closed_at = now
        fields.append("closed_at")
    application.save(update_fields=fields)
    event = ApplicationEvent.objects.create(
        application=application, at=now, kind=ApplicationEvent.Kind.TRANSITION, action=action, from_status=source,
        to_status=transition.target, actor=by, actor_role=role, agency=application.agency, text=text,
        visible_to_citizen=event_visible, data=data or {})
    audit_record(action=f"application.{action}", actor=by, obj=application,
                 subject_person=str(application.applicant.code),
                 mall_id=application.mall_id, agency_id=application.agency_id,
                 data={"from": source, "to": transition.target, "reference": application.reference})
    _notify_citizen(application, NOTIFY_TEMPLATES.get(action, "application.status_changed"),
                    {"action": action, "text": text, **(notify_extra or {})},
                    dedupe_key=f"application:{application.code}:{event.pk}")
    if transition.target in SURVEY_AFTER:
        from satupintu.survey.offer import survey_offer

        survey_offer(mall=application.mall, agency=application.agency, service=application.service,
                     related_type="application", related_code=str(application.code), person=application.applicant)
    return event


def _labels(status: str) -> dict[str, str]:
    """The status in both languages: the notification is rendered in the reader's language."""
    from django.utils import translation

    result = {}
    for lang in ("id", "en"):
        with translation.override(lang):
            result[lang] = str(Status(status).label)
    return result


def _notify_citizen(application: Application, template: str, extra: dict, *, dedupe_key: str) -> None:
    """An outbox row for the applicant (their chosen channel), or for whoever submitted when
    the applicant has no account (a child applied for by a parent)."""
    from satupintu.notifications import services as notify

    context = {"reference": application.reference or "", "service_name": application.service.name,
               "service": application.service.name, "agency": application.agency.name,
               "applicant_name": application.applicant.full_name, "status": application.status,
               "status_label": _labels(application.status), **extra}
    if application.due_at:
        context["due_date"] = timezone.localtime(application.due_at).date().isoformat()
    person = application.applicant
    row = notify.notification_enqueue_for_person(person=person, template=template, context=context,
                                                 mall=application.mall, related=application, dedupe_key=dedupe_key)
    if row is None and application.submitted_by_id != person.account_id:
        notify.notification_enqueue_for_user(user=application.submitted_by, template=template, context=context,
                                             mall=application.mall, related=application, dedupe_key=dedupe_key)


def application_transition(*, application: Application, action: str, by, text: str = "",
                           data: dict | None = None) -> Application:
    """Generic entry for the simple actions (claim, verify, process, approve, hand_over,
    complete, withdraw). The ones that need more input have their own function below."""
    if action in ("send_back", "reject", "resubmit", "issue_output", "submit"):
        raise DomainError(_("Gunakan fungsi khusus untuk tindakan ini."), code="use_specific_action")
    with transaction.atomic():
        application = _lock(application)
        role = _actor_role(application, action, by)
        _apply(application, action, by=by, role=role, now=timezone.now(), closures=mall_closures(application.mall_id),
               text=text, data=data)
    return application


@transaction.atomic
def application_send_back(*, application: Application, by, reason: str, items: dict[str, str]) -> Application:
    """Back to the citizen with a reason per item (document kind or field name). The SLA
    clock pauses until they resubmit."""
    application = _lock(application)
    role = _actor_role(application, "send_back", by)
    items = {k: v.strip() for k, v in items.items() if v and v.strip()}
    if not reason.strip() and not items:
        raise DomainError(_("Tulis alasan pengembalian: apa yang harus diperbaiki pemohon."), code="reason_required",
                          field="reason")
    field_names = {f["name"] for f in application.definition.schema.get("fields", [])}
    kinds = set(application.documents.values_list("kind", flat=True))
    unknown = [k for k in items if k not in field_names and k not in kinds]
    if unknown:
        raise DomainError(_("Item '%(i)s' tidak ada pada permohonan ini.") % {"i": unknown[0]}, code="unknown_item",
                          field="items")
    for kind, why in items.items():
        application.documents.filter(kind=kind).update(verdict=ApplicationDocument.Verdict.SENT_BACK, reason=why)
    _apply(application, "send_back", by=by, role=role, now=timezone.now(), closures=mall_closures(application.mall_id),
           text=reason.strip(), data={"items": items}, notify_extra={"items_count": len(items) or 1})
    return application


@transaction.atomic
def application_resubmit(*, application: Application, by, documents: dict[str, str] | None = None,
                         answers: dict[str, Any] | None = None) -> Application:
    """The citizen's correction: replaced documents (vault codes) and answers; the clock resumes."""
    application = _lock(application)
    role = _actor_role(application, "resubmit", by)
    submission = application.submission
    if answers:
        submission = submission_save_answers(submission=submission, answers=answers, by=by, allow_after_submit=True)
        application.answers = {**application.answers, **{k: submission.answers[k] for k in answers
                                                          if k in submission.answers}}
        application.save(update_fields=["answers"])
    for kind, code in (documents or {}).items():
        submission_attach_document(submission=submission, kind=kind, vault_code=code, by=by, allow_after_submit=True)
        application.documents.filter(kind=kind).update(vault_code=code, verdict=ApplicationDocument.Verdict.PENDING,
                                                       reason="")
    still = list(application.documents.filter(verdict=ApplicationDocument.Verdict.SENT_BACK)
                 .values_list("label", flat=True))
    if still:
        raise DomainError(_("Dokumen %(d)s masih perlu diganti sebelum dikirim ulang.") % {"d": ", ".join(still)},
                          code="items_outstanding")
    _apply(application, "resubmit", by=by, role=role, now=timezone.now(), closures=mall_closures(application.mall_id),
           data={"documents": sorted((documents or {}).keys()), "answers": sorted((answers or {}).keys())})
    return application


@transaction.atomic
def application_reject(*, application: Application, by, reason: str) -> Application:
    application = _lock(application)
    role = _actor_role(application, "reject", by)
    if not reason.strip():
        raise DomainError(_("Tulis alasan penolakan agar pemohon tahu apa yang terjadi."), code="reason_required",
                          field="reason")
    _apply(application, "reject", by=by, role=role, now=timezone.now(), closures=mall_closures(application.mall_id),
           text=reason.strip())
    return application


@transaction.atomic
def application_issue_output(*, application: Application, by) -> Application:
    """Document outputs: rendered, signed and registered by documents; the application is
    then complete. Physical outputs: "siap diambil" with the counter and its hours."""
    application = _lock(application)
    role = _actor_role(application, "issue_output", by)
    now = timezone.now()
    closures = mall_closures(application.mall_id)
    output = application.definition.output
    if output.get("kind") == "document":
        code, url, verify_url = integration.issue_document(application=application, by=by)
        application.output_document_code, application.output_url = code, url
        application.save(update_fields=["output_document_code", "output_url"])
        _apply(application, "issue_output", by=by, role=role, now=now, closures=closures,
               text=_("%(t)s telah terbit dan dapat diunduh.") % {"t": output.get("title")},
               data={"document": code, "url": url, "verification_url": verify_url})
        _apply(application, "complete", by=by, role=role, now=now, closures=closures)
    else:
        counter = application.service.counters.filter(is_active=True).order_by("number").first()
        where = _("loket %(n)s (%(l)s)") % {"n": counter.number, "l": counter.label} if counter else _("loket instansi")
        hours = application.mall.hours_note or _("pada jam layanan MPP")
        _apply(application, "issue_output", by=by, role=role, now=now, closures=closures,
               text=_("%(t)s siap diambil di %(w)s, %(h)s. Bawa dokumen asli yang diminta.")
               % {"t": output.get("title"), "w": where, "h": hours},
               data={"counter": counter.number if counter else ""},
               notify_extra={"pickup_counter": counter.number if counter else "", "pickup_hours": str(hours)})
    return application


@transaction.atomic
def application_note_add(*, application: Application, by, text: str, to_citizen: bool) -> ApplicationEvent:
    """An internal note (officers only) or a message the citizen sees and is notified of."""
    application = _lock(application)
    held = memberships(by).filter(mall_id=application.mall_id, agency_id=application.agency_id)
    if not held.exists():
        raise NotFound()
    if not text.strip():
        raise DomainError(_("Tulis isi catatan."), code="text_required", field="text")
    event = ApplicationEvent.objects.create(
        application=application, at=timezone.now(),
        kind=ApplicationEvent.Kind.MESSAGE if to_citizen else ApplicationEvent.Kind.NOTE,
        actor=by, actor_role=held.first().role, agency=application.agency, text=text.strip(),
        visible_to_citizen=to_citizen)
    audit_record(action="application.message" if to_citizen else "application.note", actor=by, obj=application,
                 mall_id=application.mall_id, agency_id=application.agency_id)
    if to_citizen:
        _notify_citizen(application, "application.status_changed", {"action": "message", "text": text.strip()},
                        dedupe_key=f"application:{application.code}:msg:{event.pk}")
    return event
