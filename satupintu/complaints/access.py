"""Who may reach a complaint. Not yours = 404.

* the complainant (or someone with a mandate for them), signed in;
* anyone holding the tracking code (that is how anonymous complaints are followed);
* officers of the agency it is routed to, and the mall's managers/auditors.
"""

from __future__ import annotations

from satupintu.complaints.models import Complaint
from satupintu.core.errors import NotFound
from satupintu.identity.access import get_in_scope, is_officer
from satupintu.identity.models import Role

OFFICER_ROLES = [Role.FRONT_DESK, Role.VERIFIER, Role.APPROVER, Role.AGENCY_ADMIN, Role.MALL_MANAGER, Role.AUDITOR]
ANSWER_ROLES = [Role.VERIFIER, Role.APPROVER, Role.AGENCY_ADMIN, Role.FRONT_DESK]


def access_complaint_by_tracking(tracking_code: str) -> Complaint:
    code = (tracking_code or "").strip().upper()
    complaint = Complaint.objects.select_related("mall", "agency", "service").filter(tracking_code=code).first()
    if complaint is None:
        raise NotFound()
    return complaint


def access_complaint_for_officer(user, code, *, roles=OFFICER_ROLES) -> Complaint:
    if not is_officer(user):
        raise NotFound()
    qs = Complaint.objects.select_related("mall", "agency", "service", "complainant").filter(code=code)
    return get_in_scope(qs, user, roles=roles)


def access_complaint_for_citizen(user, code) -> Complaint:
    qs = Complaint.objects.select_related("mall", "agency", "service").filter(code=code)
    return get_in_scope(qs, user, person_field="complainant")


def complainant_visible_to(complaint: Complaint, user) -> bool:
    """UU 25/2009 Pasal 42: a confidential complainant's identity is hidden from the agency
    (and from everyone but the complainant)."""
    if complaint.anonymous or complaint.complainant_id is None:
        return False
    if complaint.confidential:
        return bool(getattr(user, "is_authenticated", False) and complaint.complainant.account_id == user.id)
    return True
