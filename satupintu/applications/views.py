"""Citizen pages (before you start -> one thing per page -> check your answers ->
confirmation; status with timeline) and the officer's inbox and case page."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from satupintu.applications import integration, selectors, services
from satupintu.applications.access import access_application, access_submission
from satupintu.applications.answers import plain, unseal
from satupintu.applications.definition import is_visible
from satupintu.applications.models import Bundle, Submission
from satupintu.applications.workflow import Status, actions_from, step_role
from satupintu.catalogue.models import Mall, Region, Service
from satupintu.core.audit import audit_record
from satupintu.core.errors import DomainError, NotFound
from satupintu.core.idempotency import run_idempotent
from satupintu.identity.access import is_officer, memberships, person_of, persons_actor_may_act_for
from satupintu.identity.models import Person


def _not_found(fn):
    def wrapped(request, *args, **kwargs):
        try:
            return fn(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404 from exc
    wrapped.__name__ = fn.__name__
    return wrapped


# ------------------------------------------------------------------ start
def start(request, mall, code=None, bundle=None):
    """Before you start: what you need, how long it takes; then one question per page."""
    mall_obj = get_object_or_404(Mall, slug=mall)
    if bundle:
        bundle_obj = get_object_or_404(Bundle, mall=mall_obj, slug=bundle, is_active=True)
        service_list = list(Service.objects.filter(mall=mall_obj, public_code__in=bundle_obj.service_codes)
                            .select_related("agency"))
    else:
        bundle_obj = None
        service_list = [get_object_or_404(selectors.online_services(mall_obj), public_code=code)]
    definitions = [(s, selectors.published_definition(s)) for s in service_list]
    if any(d is None for _s, d in definitions):
        raise Http404
    people = []
    if request.user.is_authenticated:  # self, family members, or citizens an officer assists under a mandate
        people = list(Person.objects.filter(pk__in=persons_actor_may_act_for(request.user)).order_by("full_name"))
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('identity:login')}?next={request.path}")
        applicant = next((p for p in people if str(p.code) == request.POST.get("applicant")), None) or \
            person_of(request.user)
        if applicant is None:
            raise Http404
        try:
            submission = services.submission_start(mall=mall_obj, applicant=applicant, by=request.user,
                                                   bundle=bundle_obj, services=None if bundle_obj else service_list)
        except DomainError as exc:
            messages.error(request, str(exc.message))
            return redirect(request.path)
        return redirect("applications:resume", submission.code)
    docs = {}
    for _s, d in definitions:
        for doc in d.schema.get("documents", []):
            docs.setdefault(doc["kind"], doc)
    return render(request, "applications/start.html", {
        "mall": mall_obj, "bundle": bundle_obj, "definitions": definitions, "documents": docs.values(),
        "people": people})


# ------------------------------------------------------------------ draft pages
def _pages(submission: Submission) -> list[tuple[str, dict]]:
    fields, docs = selectors.merged_form(submission)
    pages = [("field", f) for f in fields if is_visible(f, submission.answers)]
    return pages + [("doc", d) for d in docs]


def _next_page(submission: Submission, after: str | None = None) -> str:
    """The next page not yet answered (after `after`, if given), or the check page."""
    pages = _pages(submission)
    names = [f"{k}:{p['name'] if k == 'field' else p['kind']}" for k, p in pages]
    start_at = names.index(after) + 1 if after in names else 0
    for (kind, page), _name in list(zip(pages, names, strict=True))[start_at:]:
        if kind == "field" and page["name"] not in submission.answers:
            return reverse("applications:field", args=[submission.code, page["name"]])
        if kind == "doc" and page["kind"] not in submission.documents and page.get("required", True):
            return reverse("applications:document", args=[submission.code, page["kind"]])
    return reverse("applications:check", args=[submission.code])


def _draft(request, code) -> Submission:
    submission = access_submission(request.user, code)
    if submission.status != Submission.SubmissionStatus.DRAFT:
        raise NotFound()
    return submission


@login_required
@_not_found
def resume(request, code):
    submission = access_submission(request.user, code)
    if submission.status != Submission.SubmissionStatus.DRAFT:
        return redirect("applications:submission", submission.code)
    return redirect(_next_page(submission))


def _raw_value(request, field):
    if field["type"] == "address":
        return {"street": request.POST.get(f"{field['name']}_street", "").strip(),
                "village": request.POST.get("region_village", "").strip()}
    return request.POST.get(field["name"], "")


LEVELS = [("province", _("Provinsi")), ("regency", _("Kabupaten/kota")), ("district", _("Kecamatan")),
          ("village", _("Kelurahan/desa"))]


def region_cascade(mall, data, current: dict | None) -> list[dict]:
    """Region picker (province -> regency/city -> kecamatan -> kelurahan). Each level's
    options are the children of the level above; starts at the mall's city. Works without
    JavaScript ("Perbarui pilihan wilayah"); htmx swaps it in place on change."""
    chosen: list[str] = []
    village = (current or {}).get("village", "") if current else ""
    if data is not None:
        chosen = [data.get(f"region_{key}", "") for key, _label in LEVELS]
    elif village:
        region = Region.objects.filter(code=village).first()
        while region is not None:
            chosen.insert(0, region.code)
            region = region.parent
    else:
        city = mall.region
        chosen = [city.parent.code if city.parent else "", city.code, "", ""]
    chosen += [""] * (4 - len(chosen))
    levels, parent_code = [], None
    for i, (key, label) in enumerate(LEVELS):
        options = Region.objects.filter(level=i + 1)
        options = options.filter(parent__code=parent_code) if i else options
        options = list(options.order_by("name").values_list("code", "name")) if (i == 0 or parent_code) else []
        value = chosen[i] if chosen[i] in {c for c, _n in options} else ""
        levels.append({"key": key, "label": label, "options": options, "value": value})
        parent_code = value or None
    return levels


@login_required
@_not_found
def field(request, code, name):
    submission = _draft(request, code)
    spec = next((f for f in selectors.merged_form(submission)[0] if f["name"] == name), None)
    if spec is None:
        raise Http404
    error = None
    value = unseal(submission.answers.get(name))
    cascade = None
    if spec["type"] == "address":
        cascade = region_cascade(submission.mall, request.POST if request.method == "POST" else None, value)
    if request.method == "POST" and "ubah_wilayah" in request.POST:  # pick the next region level, save nothing
        value = {"street": request.POST.get(f"{name}_street", ""), "village": cascade[-1]["value"]}
    elif request.method == "POST":
        raw = _raw_value(request, spec)
        try:
            submission = services.submission_save_answers(submission=submission, answers={name: raw},
                                                          by=request.user)
        except DomainError as exc:
            error, value = str(exc.message), raw
        else:
            if request.GET.get("kembali") == "periksa":
                return redirect("applications:check", submission.code)
            return redirect(_next_page(submission, after=f"field:{name}"))
    return render(request, "applications/field.html", {
        "submission": submission, "field": spec, "value": value, "error": error,
        "cascade": cascade,
        "back": request.GET.get("kembali")}, status=400 if error else 200)


@login_required
@_not_found
def document(request, code, kind):
    submission = _draft(request, code)
    spec = next((d for d in selectors.merged_form(submission)[1] if d["kind"] == kind), None)
    if spec is None:
        raise Http404
    error = None
    if request.method == "POST":
        try:
            vault_code = request.POST.get("vault_code", "")
            if request.FILES.get("file"):
                vault_code = integration.vault_upload(person=submission.applicant, kind=kind,
                                                      uploaded_file=request.FILES["file"], by=request.user)
            if not vault_code:
                raise DomainError(_("Pilih dokumen dari brankas atau unggah berkas %(l)s.") % {"l": spec["label"]},
                                  field="file")
            submission = services.submission_attach_document(submission=submission, kind=kind,
                                                             vault_code=vault_code, by=request.user)
        except DomainError as exc:
            error = str(exc.message)
        else:
            if request.GET.get("kembali") == "periksa":
                return redirect("applications:check", submission.code)
            return redirect(_next_page(submission, after=f"doc:{kind}"))
    return render(request, "applications/document.html", {
        "submission": submission, "doc": spec, "error": error, "chosen": submission.documents.get(kind),
        "vault": integration.vault_documents(person=submission.applicant, kinds=[kind]),
        "accept": ",".join(spec.get("accepted", []))}, status=400 if error else 200)


def _summary_rows(submission: Submission) -> tuple[list[dict], list[dict]]:
    fields, docs = selectors.merged_form(submission)
    villages = [v.get("village") for v in submission.answers.values() if isinstance(v, dict)]
    names = dict(Region.objects.filter(code__in=villages).values_list("code", "name"))
    rows = []
    for f in fields:
        if not is_visible(f, submission.answers):
            continue
        value = unseal(submission.answers.get(f["name"]))
        if f["type"] == "choice":
            value = dict(f["choices"]).get(value, value)
        elif f["type"] == "yesno" and value is not None:
            value = _("Ya") if value else _("Tidak")
        elif f["type"] == "address" and isinstance(value, dict):
            value = f"{value['street']}, {names.get(value['village'], value['village'])}"
        rows.append({"field": f, "value": value})
    vault = {r["code"]: r for r in integration.vault_documents(person=submission.applicant,
                                                                kinds=[d["kind"] for d in docs])}
    doc_rows = [{"doc": d, "chosen": vault.get(submission.documents.get(d["kind"], ""))
                 or submission.documents.get(d["kind"])} for d in docs]
    return rows, doc_rows


@login_required
@_not_found
def check(request, code):
    """Check your answers, with "Ubah" links; submit carries a one-time token
    (Idempotency-Key) so a double tap makes one application."""
    submission = access_submission(request.user, code)
    if submission.status != Submission.SubmissionStatus.DRAFT:
        return redirect("applications:submission", submission.code)
    problems = services.submission_problems(submission)
    if request.method == "POST":
        key = request.POST.get("idempotency_key", "")

        def action():
            s = services.submission_submit(submission=submission, by=request.user)
            return 201, {"submission": str(s.code)}
        try:
            run_idempotent(scope="applications.submit.web", owner=str(request.user.code), key=key,
                           body={"submission": str(submission.code)}, action=action)
        except DomainError as exc:
            submission.refresh_from_db()
            if submission.status != Submission.SubmissionStatus.DRAFT:  # already submitted by an earlier tap
                return redirect(f"{reverse('applications:submission', args=[submission.code])}?baru=1")
            messages.error(request, str(exc.message))
            return redirect("applications:check", submission.code)
        return redirect(f"{reverse('applications:submission', args=[submission.code])}?baru=1")
    rows, doc_rows = _summary_rows(submission)
    return render(request, "applications/check.html", {
        "submission": submission, "rows": rows, "doc_rows": doc_rows, "problems": problems,
        "parts": submission.applications.select_related("service", "agency").order_by("id"),
        "idempotency_key": uuid.uuid4()})


# ------------------------------------------------------------------ after submit
@login_required
def my_applications(request):
    return render(request, "applications/mine.html", {
        "submissions": selectors.submissions_for(request.user).prefetch_related("applications__service")[:50]})


@login_required
@_not_found
def submission(request, code):
    """Confirmation (reference numbers large, what next, by when) and the task list of parts."""
    sub = access_submission(request.user, code)
    if sub.status == Submission.SubmissionStatus.DRAFT:
        return redirect("applications:resume", sub.code)
    parts = list(sub.applications.select_related("service", "agency", "definition").order_by("id"))
    return render(request, "applications/submission.html", {
        "submission": sub, "parts": parts, "new": request.GET.get("baru") == "1",
        "latest_due": max((p.due_at for p in parts if p.due_at), default=None)})


@login_required
@_not_found
def receipt(request, code):
    from weasyprint import HTML

    sub = access_submission(request.user, code)
    if sub.status == Submission.SubmissionStatus.DRAFT:
        raise Http404
    parts = list(sub.applications.select_related("service", "agency").order_by("id"))
    html = render_to_string("applications/receipt.html", {"submission": sub, "parts": parts}, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="tanda-terima-{parts[0].reference}.pdf"'
    return response


@login_required
@_not_found
def application_detail(request, code):
    """Status page of one part: timeline, who holds the file, the expected date, what the
    citizen must do (fix sent-back items)."""
    app = access_application(request.user, code)
    if is_officer(request.user) and app.applicant_id not in persons_actor_may_act_for(request.user):
        return redirect("applications:officer_detail", app.code)
    error = None
    if request.method == "POST" and app.status == Status.SENT_BACK:
        try:
            replaced = {}
            for doc in app.documents.filter(verdict="sent_back"):
                upload = request.FILES.get(f"file_{doc.kind}")
                chosen = request.POST.get(f"vault_{doc.kind}", "")
                if upload:
                    chosen = integration.vault_upload(person=app.applicant, kind=doc.kind, uploaded_file=upload,
                                                      by=request.user)
                if chosen and chosen != doc.vault_code:
                    replaced[doc.kind] = chosen
            services.application_resubmit(application=app, by=request.user, documents=replaced)
        except DomainError as exc:
            error = str(exc.message)
        else:
            messages.success(request, _("Perbaikan terkirim. Petugas akan memeriksanya kembali."))
            return redirect("applications:detail", app.code)
    sent_back = list(app.documents.filter(verdict="sent_back"))
    vault = {d.kind: integration.vault_documents(person=app.applicant, kinds=[d.kind]) for d in sent_back}
    from satupintu.survey.offer import survey_url_of

    return render(request, "applications/detail.html", {
        "app": app, "events": selectors.timeline(app, for_citizen=True), "holder": selectors.holder(app),
        "survey_url": survey_url_of(related_type="application", related_code=str(app.code)),
        "sent_back": [(d, vault[d.kind]) for d in sent_back], "error": error,
        "last_reason": app.events.filter(action="send_back").order_by("-at").values_list("text", flat=True).first()},
        status=400 if error else 200)


# ------------------------------------------------------------------ officer
def _officer_required(fn):
    """identity's officer_required (signed in with the second factor, else to the officer
    sign-in) when it is there; otherwise an officer session at least."""
    try:
        from satupintu.identity.officer_views import officer_required
    except ImportError:
        def officer_required(view):
            def wrapped(request, *args, **kwargs):
                if not is_officer(request.user):
                    raise Http404
                return view(request, *args, **kwargs)
            return login_required(wrapped)
    return officer_required(fn)


@_officer_required
def officer_inbox(request):
    status = request.GET.get("status") or None
    if status and status not in Status.values:
        status = None
    page = selectors.inbox(request.user, status=status, service_code=request.GET.get("layanan") or None,
                           cursor=request.GET.get("setelah") or None, urgency=request.GET.get("urgensi") or None)
    return render(request, "applications/officer_inbox.html", {
        "page": page, "status": status, "urgency": request.GET.get("urgensi", ""), "statuses": Status.choices,
        "service_code": request.GET.get("layanan", ""),
        "services": selectors.online_services().filter(
            agency_id__in=memberships(request.user).values("agency_id")).values_list("public_code", "name")})


@_officer_required
@_not_found
def officer_detail(request, code):
    app = access_application(request.user, code)
    audit_record(action="application.read", actor=request.user, obj=app, subject_person=str(app.applicant.code),
                 mall_id=app.mall_id, agency_id=app.agency_id, purpose="pemrosesan permohonan")
    roles = set(memberships(request.user).filter(mall_id=app.mall_id).values_list("role", flat=True))
    current_role = step_role(app.definition.steps, app.status)
    actions = [t for t in actions_from(app.status, by_citizen=False) if current_role in roles]
    return render(request, "applications/officer_detail.html", {
        "app": app, "events": selectors.timeline(app, for_citizen=False), "actions": actions,
        "documents": [(d, integration._url("documents:open", d.vault_code)) for d in app.documents.all()],
        "current_role": current_role, "holder": selectors.holder(app),
        "fields": {f["name"]: f for f in app.definition.schema.get("fields", [])}, "answers": plain(app.answers)})


@_officer_required
@require_POST
@_not_found
def officer_action(request, code):
    app = access_application(request.user, code)
    action = request.POST.get("action", "")
    try:
        if action == "send_back":
            items = {d.kind: request.POST.get(f"item_{d.kind}", "") for d in app.documents.all()}
            services.application_send_back(application=app, by=request.user, reason=request.POST.get("reason", ""),
                                           items=items)
        elif action == "reject":
            services.application_reject(application=app, by=request.user, reason=request.POST.get("reason", ""))
        elif action == "issue_output":
            services.application_issue_output(application=app, by=request.user)
        elif action in ("note", "message"):
            services.application_note_add(application=app, by=request.user, text=request.POST.get("text", ""),
                                          to_citizen=action == "message")
        else:
            services.application_transition(application=app, action=action, by=request.user,
                                            text=request.POST.get("reason", ""))
    except DomainError as exc:
        if isinstance(exc, NotFound):
            raise
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Tersimpan."))
    return redirect("applications:officer_detail", app.code)
