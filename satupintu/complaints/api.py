from datetime import date

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from satupintu.catalogue.models import Agency, Mall, Service
from satupintu.complaints.access import access_complaint_by_tracking
from satupintu.complaints.models import Complaint
from satupintu.complaints.services import complaint_file, complaint_rate
from satupintu.core.errors import DomainError
from satupintu.core.idempotency import run_idempotent
from satupintu.identity.access import person_of

router = Router(tags=["pengaduan / complaints"])


class ComplaintIn(Schema):
    mall: str = Field(..., max_length=60, description="kode mal, mis. kota-tangerang")
    agency: str | None = Field(None, max_length=60, description="kode instansi; boleh kosong bila `service` diisi")
    service: str | None = Field(None, max_length=80, description="kode layanan")
    category: str = Field(..., description=", ".join(Complaint.Category.values))
    description: str = Field(..., min_length=1, max_length=5000)
    service_date: date
    related_reference: str = Field("", max_length=40)
    amount_demanded: int | None = Field(None, ge=0)
    anonymous: bool = False
    confidential: bool = False
    contact: str = Field("", max_length=254)


class ComplaintOut(Schema):
    tracking_code: str
    status: str
    status_label: str
    agency: str
    category: str
    acknowledge_due: date
    answer_due: date
    answer: str
    rating: int | None
    lapor_id: str
    lapor_status: str


class RatingIn(Schema):
    rating: int = Field(..., ge=1, le=5)
    comment: str = Field("", max_length=2000)


def _out(c: Complaint) -> dict:
    return {"tracking_code": c.tracking_code, "status": c.status, "status_label": str(c.get_status_display()),
            "agency": c.agency.slug, "category": c.category, "acknowledge_due": c.acknowledge_due,
            "answer_due": c.answer_due, "answer": c.answer, "rating": c.rating, "lapor_id": c.lapor_id,
            "lapor_status": c.lapor_status}


def _lookup(model, message, field, **kwargs):
    obj = model.objects.filter(**kwargs).first()
    if obj is None:
        raise DomainError(message, code=f"{field}_unknown", field=field, status=422)
    return obj


@router.post("/complaints", response={201: ComplaintOut, 200: ComplaintOut},
             summary="Ajukan pengaduan / file a complaint")
def file_complaint(request: HttpRequest, payload: ComplaintIn):
    def action():
        mall = _lookup(Mall, _("Mal tidak dikenal. / Unknown mall."), "mall", slug=payload.mall)
        agency = _lookup(Agency, _("Instansi tidak dikenal. / Unknown agency."), "agency",
                         slug=payload.agency) if payload.agency else None
        service = _lookup(Service, _("Layanan tidak dikenal di mal ini. / Unknown service."), "service",
                          mall=mall, public_code=payload.service) if payload.service else None
        person = None if payload.anonymous else person_of(request.user)
        complaint = complaint_file(
            mall=mall, agency=agency, service=service, category=payload.category, description=payload.description,
            service_date=payload.service_date, related_reference=payload.related_reference,
            amount_demanded=payload.amount_demanded, complainant=person,
            anonymous=payload.anonymous or person is None, confidential=payload.confidential,
            contact=payload.contact, filed_by=request.user, channel=Complaint.Channel.API,
        )
        return 201, _out(complaint)

    owner = str(request.user.code) if request.user.is_authenticated else f"anon:{request.META.get('REMOTE_ADDR')}"
    status, body, _replayed = run_idempotent(scope="complaints.create", owner=owner,
                                             key=request.headers.get("Idempotency-Key"),
                                             body=payload.dict(), action=action)
    return Status(status, body)


@router.get("/complaints/track/{tracking_code}", response=ComplaintOut,
            summary="Status pengaduan dengan kode lacak / complaint status by tracking code")
def track_complaint(request, tracking_code: str):
    return _out(access_complaint_by_tracking(tracking_code))


@router.post("/complaints/track/{tracking_code}/rating", response=ComplaintOut,
             summary="Nilai jawaban / rate the answer")
def rate_complaint(request, tracking_code: str, payload: RatingIn):
    complaint = complaint_rate(complaint=access_complaint_by_tracking(tracking_code), rating=payload.rating,
                               comment=payload.comment, by=request.user)
    return _out(complaint)
