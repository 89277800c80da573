"""Writes of the survey: the signed invitation link and the response itself."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from satupintu.catalogue.models import Agency, Mall, Service
from satupintu.core.errors import Conflict, DomainError, NotFound
from satupintu.survey.models import SurveyResponse

SALT = "satupintu.survey.link"
PROFILE_FIELDS = ("age_band", "sex", "education", "occupation")


def _max_age() -> int:
    return int(getattr(settings, "SURVEY_LINK_MAX_AGE_DAYS", 30)) * 86400


def survey_link_for(*, mall: Mall, agency: Agency, service: Service | None, related_type: str,
                    related_code: str) -> str:
    """Absolute, signed link to the survey for one finished transaction (an application,
    a queue ticket). Valid `SURVEY_LINK_MAX_AGE_DAYS` (30) days; it names only public codes.
    Call it when the transaction is finished and send the link (web, WhatsApp, SMS, kiosk)."""
    if service is not None and (service.mall_id != mall.id or service.agency_id != agency.id):
        raise DomainError(_("Layanan tidak sesuai dengan mal/instansi."), code="survey_mismatch")
    if not related_type or not related_code:
        raise DomainError(_("Transaksi untuk survei harus disebutkan."), code="survey_no_transaction")
    token = signing.dumps(
        {"m": mall.slug, "a": agency.slug, "s": service.public_code if service else "", "t": related_type,
         "c": str(related_code)},
        salt=SALT, compress=True,
    )
    return f"{settings.SITE_URL}{reverse('survey:form', args=[token])}"


@dataclass(frozen=True)
class Invitation:
    mall: Mall
    agency: Agency
    service: Service | None
    related_type: str
    related_code: str

    @property
    def answered(self) -> bool:
        return SurveyResponse.objects.filter(related_type=self.related_type, related_code=self.related_code).exists()


def survey_invitation_read(token: str) -> Invitation:
    """The transaction a link stands for; a tampered, expired or stale link is NotFound."""
    try:
        data = signing.loads(token, salt=SALT, max_age=_max_age())
    except signing.BadSignature as exc:  # includes SignatureExpired
        raise NotFound(_("Tautan survei tidak berlaku atau sudah kedaluwarsa.")) from exc
    mall = Mall.objects.filter(slug=data.get("m")).first()
    agency = Agency.objects.filter(slug=data.get("a")).first()
    if mall is None or agency is None:
        raise NotFound(_("Tautan survei tidak berlaku atau sudah kedaluwarsa."))
    service = None
    if data.get("s"):
        service = Service.objects.filter(mall=mall, public_code=data["s"]).select_related("agency").first()
    return Invitation(mall, agency, service, data["t"], data["c"])


@transaction.atomic
def survey_response_submit(*, invitation: Invitation, answers: dict[str, int | None], profile: dict[str, str],
                           suggestion: str = "", channel: str = SurveyResponse.Channel.WEB) -> SurveyResponse:
    """Store one response; a second response for the same transaction is refused."""
    values = {f"u{i}": answers.get(f"U{i}") for i in range(1, 10)}
    for key, value in values.items():
        if value is not None and value not in (1, 2, 3, 4):
            raise DomainError(_("Jawaban harus 1–4."), code="survey_invalid_answer", field=key.upper())
    if all(v is None for v in values.values()):
        raise DomainError(_("Jawab paling sedikit satu pertanyaan."), code="survey_empty")
    try:
        with transaction.atomic():
            return SurveyResponse.objects.create(
                mall=invitation.mall, agency=invitation.agency, service=invitation.service,
                related_type=invitation.related_type, related_code=invitation.related_code, channel=channel,
                suggestion=suggestion.strip()[:2000],
                **{k: profile.get(k, "") for k in PROFILE_FIELDS}, **values,
            )
    except IntegrityError as exc:
        raise Conflict(_("Survei untuk transaksi ini sudah diisi. Terima kasih."), code="survey_already_answered") \
            from exc


class PaperInvalid(DomainError):
    """The sheet has bad values; `problems` lists each with line and column."""

    def __init__(self, problems, message=None):
        super().__init__(message or _("%(n)d kesalahan; tidak ada yang diimpor.") % {"n": len(problems)},
                         code="survey_paper_invalid", status=422)
        self.problems = problems


def survey_paper_import(*, raw: bytes, weight: str | None = None, skip_invalid: bool = False,
                        population: int | None = None, mall: Mall | None = None, agency: Agency | None = None,
                        service: Service | None = None, actor=None) -> dict:
    """IKM of a typed sheet of paper questionnaires (see `paper.read_sheet`), and — when a
    mall and agency are given — the rows stored as paper responses, all or nothing, once
    per file. Returns the JSON-ready result; raises PaperInvalid / DomainError."""
    import hashlib

    from satupintu.core.audit import audit_record
    from satupintu.survey.ikm import IkmError, ikm_compute
    from satupintu.survey.paper import Problem, read_sheet
    from satupintu.survey.sample import sample_check

    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PaperInvalid([Problem(None, None, "bukan teks UTF-8 / not UTF-8 text")]) from exc
    if mall is not None and (agency is None or not agency.tenancies.filter(mall=mall).exists()):
        raise DomainError(_("Instansi wajib dipilih dan harus ada di mal itu."), code="survey_agency", field="agency")
    if service is not None and (mall is None or service.mall_id != mall.id or service.agency_id != agency.id):
        raise DomainError(_("Layanan tidak sesuai dengan mal/instansi."), code="survey_mismatch", field="service")
    weight = weight or (mall.ikm_weight if mall is not None else "exact")
    sheet = read_sheet(text)
    if sheet.problems and (sheet.fatal or not skip_invalid):
        raise PaperInvalid(sheet.problems)
    try:
        result = ikm_compute((answers for _, answers in sheet.rows), weight=weight)
    except IkmError as exc:
        raise PaperInvalid([Problem(None, None, str(exc))]) from exc
    out = result.as_json()
    out["skipped"] = [p.as_json() for p in sheet.problems]
    if population is not None:
        if population < 0:
            raise DomainError(_("Populasi tidak boleh negatif."), code="survey_population", field="population")
        out["sample"] = sample_check(population=population, respondents=result.n).as_json()
    if mall is not None:
        digest = hashlib.sha256(raw).hexdigest()[:16]
        codes = [f"{digest}:{line}" for line, _ in sheet.rows]
        with transaction.atomic():
            if SurveyResponse.objects.filter(related_type="paper", related_code__in=codes).exists():
                raise Conflict(_("Berkas ini sudah pernah diimpor; tidak ada yang diimpor. / This file was imported "
                                 "before; nothing imported."), code="survey_paper_imported")
            SurveyResponse.objects.bulk_create([
                SurveyResponse(mall=mall, agency=agency, service=service, related_type="paper", related_code=code,
                               channel=SurveyResponse.Channel.PAPER,
                               **{f"u{i}": answers[f"U{i}"] for i in range(1, 10)})
                for code, (_, answers) in zip(codes, sheet.rows, strict=True)
            ])
            audit_record(action="survey.paper_import", actor=actor, obj=mall, mall_id=mall.id, agency_id=agency.id,
                         data={"file_sha256": digest, "rows": len(codes), "skipped": len(sheet.problems)})
        out["imported"] = len(codes)
    return out
