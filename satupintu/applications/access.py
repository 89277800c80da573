"""How citizens and officers reach applications (house style 4): not yours = 404."""

from __future__ import annotations

import uuid

from satupintu.applications.models import Application, Submission
from satupintu.core.errors import NotFound
from satupintu.identity.access import get_in_scope, is_officer, persons_actor_may_act_for


def _uuid(code) -> uuid.UUID:
    try:
        return code if isinstance(code, uuid.UUID) else uuid.UUID(str(code))
    except ValueError as exc:  # a malformed code is "not found", not an error page
        raise NotFound() from exc


def access_submission(user, code) -> Submission:
    """Their own submissions or those of a person they hold a mandate for (a family
    member; or a front-desk officer filing for a citizen under an assisted-digital mandate)."""
    if not getattr(user, "is_authenticated", False):
        raise NotFound()
    submission = (Submission.objects.filter(code=_uuid(code), applicant_id__in=persons_actor_may_act_for(user))
                  .select_related("mall", "applicant", "bundle").first())
    if submission is None:
        raise NotFound()
    return submission


def access_application(user, code, *, roles=None) -> Application:
    """Officers through their agency (and mall) memberships; citizens as owner/mandate;
    an officer who files for a citizen under an assisted-digital mandate, as that citizen."""
    qs = Application.objects.filter(code=_uuid(code)).select_related("service", "agency", "mall", "definition",
                                                                      "applicant", "submission")
    try:
        return get_in_scope(qs, user, roles=roles, agency_field="agency", mall_field="mall",
                            person_field="applicant")
    except NotFound:
        if not is_officer(user):
            raise
    application = qs.filter(applicant_id__in=persons_actor_may_act_for(user)).first()
    if application is None:
        raise NotFound()
    return application
