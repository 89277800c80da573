"""How citizens and officers reach applications (house style 4): not yours = 404."""

from __future__ import annotations

from satupintu.applications.models import Application, Submission
from satupintu.core.errors import NotFound
from satupintu.identity.access import get_in_scope, is_officer, persons_actor_may_act_for


def access_submission(user, code) -> Submission:
    """Citizens only: their own submissions or those of a person they hold a mandate for."""
    if is_officer(user):
        raise NotFound()
    try:
        qs = Submission.objects.filter(code=code).select_related("mall", "applicant", "bundle")
        return qs.filter(applicant_id__in=persons_actor_may_act_for(user)).get()
    except (Submission.DoesNotExist, ValueError, Exception) as exc:
        if isinstance(exc, NotFound):
            raise
        raise NotFound() from exc


def access_application(user, code, *, roles=None) -> Application:
    """Officers through their agency (and mall) memberships; citizens as owner/mandate."""
    try:
        qs = Application.objects.filter(code=code).select_related("service", "agency", "mall", "definition",
                                                                   "applicant", "submission")
        return get_in_scope(qs, user, roles=roles, agency_field="agency", mall_field="mall",
                            person_field="applicant")
    except (ValueError, Exception) as exc:  # a malformed UUID is also "not found"
        if isinstance(exc, NotFound):
            raise
        raise NotFound() from exc
