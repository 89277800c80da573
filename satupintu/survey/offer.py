"""Offering the survey after every finished application or queue ticket: a short link
(fits one SMS) sent once through the outbox, and shown on the citizen's status page and
the ticket page (which a kiosk tablet at the counter can open or scan)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from satupintu.survey.models import SurveyInvitation
from satupintu.survey.services import survey_link_for

ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def survey_invitation_for(*, mall, agency, service, related_type: str, related_code: str) -> str:
    """The short survey URL of a finished transaction (created once, then reused)."""
    found = SurveyInvitation.objects.filter(related_type=related_type, related_code=str(related_code)).first()
    if found is None:
        target = survey_link_for(mall=mall, agency=agency, service=service, related_type=related_type,
                                 related_code=str(related_code))
        for _attempt in range(5):
            key = "".join(secrets.choice(ALPHABET) for _ in range(8))
            try:
                with transaction.atomic():
                    found = SurveyInvitation.objects.create(key=key, related_type=related_type,
                                                            related_code=str(related_code), target=target)
                break
            except IntegrityError:
                found = SurveyInvitation.objects.filter(related_type=related_type,
                                                        related_code=str(related_code)).first()
                if found:
                    break
    return f"{settings.SITE_URL}{reverse('survey:short', args=[found.key])}"


def survey_offer(*, mall, agency, service, related_type: str, related_code: str, person=None,
                 phone: str = "") -> str:
    """Create the invitation and send it once (dedupe per transaction) to the person's chosen
    channel, or by SMS to a phone left at the kiosk. Returns the short URL."""
    from satupintu.notifications import services as notify

    url = survey_invitation_for(mall=mall, agency=agency, service=service, related_type=related_type,
                                related_code=related_code)
    context = {"url": url, "service_name": service.name if service else str(agency)}
    dedupe = f"survey:{related_type}:{related_code}"
    if person is not None:
        notify.notification_enqueue_for_person(person=person, template="survey.invitation", context=context,
                                               mall=mall, dedupe_key=dedupe)
    elif phone:
        notify.notification_enqueue(channel="sms", destination=phone, template="survey.invitation",
                                    context=context, mall=mall, dedupe_key=dedupe)
    return url


def survey_url_of(*, related_type: str, related_code: str) -> str | None:
    """The short survey URL already offered for a transaction, if any (pages show it)."""
    found = SurveyInvitation.objects.filter(related_type=related_type, related_code=str(related_code)).first()
    if found is None:
        return None
    return f"{settings.SITE_URL}{reverse('survey:short', args=[found.key])}"
