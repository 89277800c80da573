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
