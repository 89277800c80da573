"""Reads of the applications domain."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.applications.models import Application, ApplicationDefinition, ApplicationEvent, Submission
from satupintu.applications.workflow import FINAL, Status, step_role
from satupintu.identity.access import agency_scope, persons_actor_may_act_for
from satupintu.identity.models import Role


def published_definition(service) -> ApplicationDefinition | None:
    return ApplicationDefinition.objects.filter(service=service, status="published").first()


def online_services(mall=None) -> QuerySet:
    from satupintu.catalogue.models import Service

    qs = Service.objects.filter(is_active=True, online=True, application_definitions__status="published")
    if mall is not None:
        qs = qs.filter(mall=mall)
    return qs.select_related("mall", "agency").order_by("mall__slug", "agency__slug", "public_code")


def merged_form(submission: Submission) -> tuple[list[dict], list[dict]]:
    """Fields and documents of every part, each asked once: the first part's field of a
    name wins; a document kind asked by several parts is asked once (original shown at the
    counter if any part needs it, the smallest size limit, the common file types)."""
    fields: dict[str, dict] = {}
    docs: dict[str, dict] = {}
    apps = list(submission.applications.select_related("definition").order_by("id"))
    for application in apps:
        schema = application.definition.schema
        for field in schema.get("fields", []):
            fields.setdefault(field["name"], field)
        for doc in schema.get("documents", []):
            if doc["kind"] not in docs:
                docs[doc["kind"]] = dict(doc)
            else:
                merged = docs[doc["kind"]]
                merged["original_at_counter"] = merged.get("original_at_counter") or doc.get("original_at_counter")
                merged["max_mb"] = min(merged.get("max_mb", 5), doc.get("max_mb", 5))
                merged["required"] = merged.get("required", True) or doc.get("required", True)
                common = [a for a in merged.get("accepted", []) if a in doc.get("accepted", merged["accepted"])]
                merged["accepted"] = common or merged.get("accepted", [])
    return list(fields.values()), list(docs.values())


def submissions_for(user) -> QuerySet[Submission]:
    return (Submission.objects.filter(applicant_id__in=persons_actor_may_act_for(user))
            .exclude(status=Submission.SubmissionStatus.WITHDRAWN)
            .select_related("applicant", "bundle").order_by("-created_at"))


URGENCY = {"overdue": timedelta(0), "soon": timedelta(days=2)}


@dataclass
class InboxPage:
    rows: list[Application]
    next_cursor: str | None


def _encode(app: Application) -> str:
    return f"{app.due_at.isoformat()}|{app.pk}"


def _decode(cursor: str) -> tuple[datetime, int]:
    due, pk = cursor.rsplit("|", 1)
    return datetime.fromisoformat(due), int(pk)


def inbox(user, *, status: str | None = None, service_code: str | None = None, cursor: str | None = None,
          urgency: str | None = None, limit: int = 25, now: datetime | None = None) -> InboxPage:
    """The officer's agency work, most urgent first, keyset-paginated on (due_at, id):
    the index (mall, agency, [status,] due_at, id) serves every page at the same cost."""
    qs = (Application.objects.filter(agency_scope(user, roles=[Role.VERIFIER, Role.APPROVER, Role.FRONT_DESK,
                                                               Role.AGENCY_ADMIN, Role.MALL_MANAGER]))
          .filter(due_at__isnull=False)
          .select_related("service", "applicant"))
    if status:
        qs = qs.filter(status=status)
    else:
        qs = qs.exclude(status__in=[*FINAL, Status.DRAFT])
    if service_code:
        qs = qs.filter(service__public_code=service_code)
    if urgency in URGENCY:  # a range on due_at: still served by the keyset index
        qs = qs.filter(due_at__lt=(now or timezone.now()) + URGENCY[urgency])
    if cursor:
        try:
            due, pk = _decode(cursor)
        except ValueError:
            due, pk = None, None
        if due is not None:
            # a row comparison, so PostgreSQL uses it as a range on the composite index
            qs = qs.filter(due_at__gte=due).extra(
                where=['("applications_application"."due_at", "applications_application"."id") > (%s, %s)'],
                params=[due, pk])
    rows = list(qs.order_by("due_at", "id")[: limit + 1])
    next_cursor = _encode(rows[limit - 1]) if len(rows) > limit else None
    return InboxPage(rows=rows[:limit], next_cursor=next_cursor)


@dataclass
class Holder:
    agency: str
    role: str
    with_citizen: bool


def holder(application: Application) -> Holder | None:
    """Who holds the file now: the agency and the role of the current step (never the
    officer's personal name), or the citizen while it is sent back."""
    if application.status == Status.SENT_BACK or application.status == Status.DRAFT:
        return Holder(agency="", role=_("Anda (pemohon)"), with_citizen=True)
    if application.status in FINAL:
        return None
    role = step_role(application.definition.steps, application.status)
    return Holder(agency=application.agency.name, role=str(Role(role).label) if role else "", with_citizen=False)


def timeline(application: Application, *, for_citizen: bool) -> list[ApplicationEvent]:
    qs = application.events.select_related("agency")
    if for_citizen:
        qs = qs.filter(visible_to_citizen=True)
    return list(qs)
