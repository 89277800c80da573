from __future__ import annotations

from django.db.models import Q, QuerySet

from satupintu.complaints.models import Complaint
from satupintu.identity.access import agency_scope, persons_actor_may_act_for


def complaints_for_officer(user, *, status: str | None = None) -> QuerySet[Complaint]:
    qs = Complaint.objects.filter(agency_scope(user)).select_related("agency", "service", "mall")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("answer_due", "id")


def complaints_for_citizen(user) -> QuerySet[Complaint]:
    return Complaint.objects.filter(complainant_id__in=persons_actor_may_act_for(user)).select_related(
        "agency", "service").order_by("-created_at")


def public_events(complaint: Complaint):
    return complaint.events.filter(public=True)


def overdue_q(today) -> Q:
    return (Q(status=Complaint.Status.RECEIVED, acknowledge_due__lt=today)
            | Q(status__in=[Complaint.Status.RECEIVED, Complaint.Status.ACKNOWLEDGED], answer_due__lt=today))
