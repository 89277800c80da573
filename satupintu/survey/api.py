"""Survey API for partner apps and kiosk tablets: the questions, answering through a signed
survey link (token), and the public IKM figures of a mall, agency or service."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from satupintu.catalogue.models import Agency, Mall, Service
from satupintu.core.errors import DomainError, NotFound
from satupintu.core.idempotency import run_idempotent
from satupintu.survey.models import SurveyResponse
from satupintu.survey.regulation import unsur
from satupintu.survey.regulation_en import text_en
from satupintu.survey.selectors import survey_ikm, survey_responses
from satupintu.survey.services import survey_invitation_read, survey_response_submit

router = Router(tags=["survei kepuasan / satisfaction survey"])

Answer = int | None


class AnswerOut(Schema):
    value: int
    label: str
    label_en: str


class QuestionOut(Schema):
    code: str
    name: str
    name_en: str
    question: str
    question_en: str
    answers: list[AnswerOut]


class ChoiceOut(Schema):
    value: str
    label: str


class QuestionsOut(Schema):
    unsur: list[QuestionOut]
    age_band: list[ChoiceOut]
    sex: list[ChoiceOut]
    education: list[ChoiceOut]
    occupation: list[ChoiceOut]


class InvitationOut(Schema):
    mall: str
    agency: str
    service: str | None
    related_type: str
    related_code: str
    answered: bool


class ResponseIn(Schema):
    U1: Answer = Field(None, ge=1, le=4)
    U2: Answer = Field(None, ge=1, le=4)
    U3: Answer = Field(None, ge=1, le=4)
    U4: Answer = Field(None, ge=1, le=4)
    U5: Answer = Field(None, ge=1, le=4)
    U6: Answer = Field(None, ge=1, le=4)
    U7: Answer = Field(None, ge=1, le=4)
    U8: Answer = Field(None, ge=1, le=4)
    U9: Answer = Field(None, ge=1, le=4)
    age_band: SurveyResponse.AgeBand | None = None
    sex: SurveyResponse.Sex | None = None
    education: SurveyResponse.Education | None = None
    occupation: SurveyResponse.Occupation | None = None
    suggestion: str = Field("", max_length=2000)
    channel: SurveyResponse.Channel = SurveyResponse.Channel.WEB


class ResponseOut(Schema):
    code: str
    related_type: str
    related_code: str


class IkmQuery(Schema):
    mall: str = Field(..., max_length=60)
    agency: str | None = Field(None, max_length=60)
    service: str | None = Field(None, max_length=80)
    date_from: date | None = Field(None, alias="from")
    date_to: date | None = Field(None, alias="to", description="inklusif / inclusive")
    weight: str | None = Field(None, pattern="^(exact|0\\.111|0\\.11)$")


class IkmOut(Schema):
    mall: str
    agency: str | None
    service: str | None
    n: int
    nrr: dict[str, str] | None
    ikm: str | None
    mutu: str | None
    kinerja: str | None
    weight: str


def _choices(choices) -> list[dict]:
    return [{"value": value, "label": str(label)} for value, label in choices]


@router.get("/survey/questions", response=QuestionsOut, summary="Pertanyaan SKM / survey questions")
def questions(request):
    return {
        "unsur": [{"code": u.code, "name": u.name, "name_en": text_en(u.name), "question": u.question,
                   "question_en": text_en(u.question),
                   "answers": [{"value": v, "label": label, "label_en": text_en(label)}
                               for v, label in sorted(u.labels.items())]} for u in unsur()],
        "age_band": _choices(SurveyResponse.AgeBand.choices), "sex": _choices(SurveyResponse.Sex.choices),
        "education": _choices(SurveyResponse.Education.choices),
        "occupation": _choices(SurveyResponse.Occupation.choices),
    }


@router.get("/survey/invitations/{token}", response=InvitationOut, summary="Tautan survei / a survey link")
def invitation(request, token: str):
    inv = survey_invitation_read(token)
    return {"mall": inv.mall.slug, "agency": inv.agency.slug,
            "service": inv.service.public_code if inv.service else None, "related_type": inv.related_type,
            "related_code": inv.related_code, "answered": inv.answered}


@router.post("/survey/invitations/{token}/response", response={201: ResponseOut},
             summary="Kirim jawaban survei / answer the survey (once per transaction; Idempotency-Key accepted)")
def respond(request: HttpRequest, token: str, payload: ResponseIn):
    inv = survey_invitation_read(token)
    data = payload.dict()

    def action():
        response = survey_response_submit(
            invitation=inv, answers={f"U{i}": data[f"U{i}"] for i in range(1, 10)},
            profile={k: data[k] or "" for k in ("age_band", "sex", "education", "occupation")},
            suggestion=data["suggestion"], channel=data["channel"])
        return 201, {"code": str(response.code), "related_type": response.related_type,
                     "related_code": response.related_code}

    status, body, _replayed = run_idempotent(scope="survey.respond", owner=f"{inv.related_type}:{inv.related_code}",
                                             key=request.headers.get("Idempotency-Key"), body=data, action=action)
    return Status(status, body)


@router.get("/survey/ikm", response=IkmOut, summary="IKM publik / public satisfaction index")
def ikm(request, params: Query[IkmQuery]):
    mall = Mall.objects.filter(slug=params.mall).first()
    if mall is None:
        raise NotFound()
    agency = service = None
    if params.agency:
        agency = Agency.objects.filter(slug=params.agency, tenancies__mall=mall).first()
        if agency is None:
            raise NotFound()
    if params.service:
        service = Service.objects.filter(mall=mall, public_code=params.service).first()
        if service is None:
            raise NotFound()
    if params.date_from and params.date_to and params.date_from > params.date_to:
        raise DomainError(_("Tanggal 'from' harus sebelum 'to'. / 'from' must not be after 'to'."),
                          code="invalid_request", field="from", status=422)
    zone = ZoneInfo(mall.timezone)
    start = datetime.combine(params.date_from, time.min, zone) if params.date_from else None
    end = datetime.combine(params.date_to + timedelta(days=1), time.min, zone) if params.date_to else None
    scope = {"mall": mall, "agency": agency, "service": service, "start": start, "end": end}
    result = survey_ikm(**scope, weight=params.weight)
    base = {"mall": mall.slug, "agency": agency.slug if agency else None,
            "service": service.public_code if service else None, "weight": params.weight or mall.ikm_weight}
    if result is None:  # no responses yet, or an unsur nobody answered: no index to show
        n = survey_responses(**scope).count()
        return {**base, "n": n, "nrr": None, "ikm": None, "mutu": None, "kinerja": None}
    out = result.as_json()
    return {**base, "n": out["n"], "nrr": out["nrr"], "ikm": out["ikm"], "mutu": out["mutu"],
            "kinerja": out["kinerja"]}
