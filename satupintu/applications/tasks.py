"""Periodic SLA check (run by `manage.py sla_check` from cron or the task worker)."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from satupintu.applications import sla
from satupintu.applications.models import Application, ApplicationEvent
from satupintu.applications.workflow import ACTIVE_FOR_SLA
from satupintu.core.audit import audit_record
from satupintu.core.calendar import mall_closures, working_days_between
from satupintu.identity.models import Membership, Role


def sla_check_run(now=None) -> tuple[int, int]:
    """Each open application (clock running) is warned once before its due time and its
    breach recorded once; the row lock and the *_at columns make a rerun a no-op."""
    now = now or timezone.now()
    warned = breached = 0
    candidates = (Application.objects.filter(status__in=ACTIVE_FOR_SLA, due_at__isnull=False, paused_at__isnull=True)
                  .filter(breached_at__isnull=True, due_at__lte=now + timedelta(days=20)).values_list("pk", "mall_id"))
    closures_by_mall: dict[int, frozenset] = {}
    for pk, mall_id in candidates.iterator():
        closures = closures_by_mall.setdefault(mall_id, mall_closures(mall_id))
        with transaction.atomic():
            app = (Application.objects.select_for_update(of=("self",)).select_related("mall", "agency", "service")
                   .get(pk=pk))
            if app.breached_at or app.status not in ACTIVE_FOR_SLA:
                continue
            if now > app.due_at:
                app.breached_at = now
                app.save(update_fields=["breached_at"])
                ApplicationEvent.objects.create(application=app, at=now, kind=ApplicationEvent.Kind.SLA_BREACH,
                                                agency=app.agency, visible_to_citizen=False,
                                                data={"due_at": app.due_at.isoformat()})
                audit_record(action="application.sla_breach", obj=app, mall_id=app.mall_id, agency_id=app.agency_id)
                breached += 1
            elif app.warned_at is None and now >= sla.warning_threshold(app.mall, app.due_at, closures):
                app.warned_at = now
                app.save(update_fields=["warned_at"])
                ApplicationEvent.objects.create(application=app, at=now, kind=ApplicationEvent.Kind.SLA_WARNING,
                                                agency=app.agency, visible_to_citizen=False,
                                                data={"due_at": app.due_at.isoformat()})
                _warn_staff(app)
                warned += 1
    return warned, breached


def _warn_staff(app: Application) -> None:
    from satupintu.notifications.services import notification_enqueue

    staff = (Membership.objects.filter(mall_id=app.mall_id, is_active=True)
             .filter(role__in=[Role.APPROVER, Role.MALL_MANAGER]).select_related("user"))
    zone = ZoneInfo(app.mall.timezone)
    due_day = app.due_at.astimezone(zone).date()
    context = {"reference": app.reference, "service_name": app.service.name, "service": app.service.name,
               "agency": app.agency.name, "due_date": due_day.isoformat(), "due_at": app.due_at.isoformat(),
               "working_days_left": working_days_between(timezone.localdate(), due_day, mall_closures(app.mall_id))}
    for m in staff:
        if m.role == Role.APPROVER and m.agency_id != app.agency_id:
            continue
        if not m.user.email:
            continue
        notification_enqueue(channel="email", destination=m.user.email, template="application.deadline_warning",
                             context=context, user=m.user, mall=app.mall, related=app,
                             language=m.user.preferred_language or "id",
                             dedupe_key=f"sla-warning:{app.code}:{due_day.isoformat()}:{m.user_id}")
