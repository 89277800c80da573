"""The notification outbox: writing rows (in the caller's transaction) and delivering them
(in the worker). Nothing is sent from a request. See docs/adr/0050-notification-outbox.md.

Delivery is at-least-once towards the provider and exactly-once for the person: every send
carries the row's `idempotency_key` (HTTP `Idempotency-Key`, SMTP `Message-ID`), so when a
worker dies after the provider accepted a message but before the row says `sent`, the retry
is recognised by the provider and not delivered again.
"""

from __future__ import annotations

import logging
import random
import re
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from satupintu.core.crypto import decrypt, encrypt
from satupintu.integrations.messaging import OutboundMessage, ProviderError, ProviderResult
from satupintu.notifications.catalog import TEMPLATES, normalise, spec_for
from satupintu.notifications.models import Notification, NotificationEvent
from satupintu.notifications.providers import client_for
from satupintu.notifications.rendering import language_of, render

logger = logging.getLogger(__name__)

Status = Notification.Status
Kind = NotificationEvent.Kind
CHANNELS = {c.value for c in Notification.Channel}
PHONE_CHANNELS = {"sms", "whatsapp"}
NIK_LIKE = re.compile(r"(?<!\d)\d{16}(?!\d)")
ENCRYPTED = "$enc"
CRYPTO_CONTEXT = "notification"


# --- writing to the outbox ------------------------------------------------------------

def _check_context(template: str, context: dict[str, Any]) -> None:
    """A NIK is refused outright (ValueError). A template/context mismatch (unknown template,
    missing keys) is logged and the row still written: the caller's business transaction must
    not fail over a message, and delivery then fails the row with the exact reason, visible in
    the back office. Extra keys are ignored by the templates."""
    if any("nik" in key.lower() for key in context):
        raise ValueError("a notification must never contain a NIK (context key named like 'nik')")

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item)
        elif isinstance(value, str) and NIK_LIKE.search(value):
            raise ValueError("a notification must never contain a NIK (16-digit number found in its context)")

    walk(context)
    spec = TEMPLATES.get(template)
    if spec is None:
        logger.error("notification template %r does not exist (see notifications/catalog.py)", template)
        return
    missing = spec.required - set(normalise(context))
    if missing:
        logger.error("notification %r is missing context %s (see notifications/catalog.py)", template,
                     sorted(missing))


def _seal(template: str, context: dict[str, Any]) -> dict[str, Any]:
    sensitive = TEMPLATES[template].sensitive if template in TEMPLATES else frozenset()
    return {key: ({ENCRYPTED: encrypt(str(value), context=CRYPTO_CONTEXT)} if key in sensitive else value)
            for key, value in context.items()}


def _unseal(context: dict[str, Any]) -> dict[str, Any]:
    return {key: (decrypt(value[ENCRYPTED], context=CRYPTO_CONTEXT)
                  if isinstance(value, dict) and ENCRYPTED in value else value)
            for key, value in context.items()}


def notification_enqueue(*, channel: str, destination: str, template: str, context: dict[str, Any],
                         language: str = "id", person=None, user=None, mall=None, related: Any = None,
                         dedupe_key: str | None = None) -> Notification:
    """Write one outbox row in the caller's transaction and schedule its delivery on commit.
    With `dedupe_key`, a second call for the same business event returns the first row.
    Raises ValueError for an unknown channel or a NIK in the context; see `_check_context`."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown notification channel {channel!r}")
    _check_context(template, context)
    if dedupe_key:
        existing = Notification.objects.filter(dedupe_key=dedupe_key).first()
        if existing:
            return existing
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                channel=channel, destination=destination, template=template, context=_seal(template, context),
                language=language_of(language), person=person, user=user, mall=mall, dedupe_key=dedupe_key,
                related_type=related._meta.label_lower if related is not None else "",
                related_code=str(getattr(related, "code", "")) if related is not None else "",
            )
            NotificationEvent.objects.create(notification=notification, kind=Kind.QUEUED)
    except IntegrityError:
        if dedupe_key:
            return Notification.objects.get(dedupe_key=dedupe_key)
        raise
    transaction.on_commit(lambda: _schedule(notification.pk, template=template))
    return notification


def _pick(preferred: str, phone: str | None, email: str | None) -> tuple[str, str] | None:
    """The preferred channel if there is an address for it, else e-mail for phone channels
    and SMS for e-mail."""
    order = [preferred] + (["email"] if preferred in PHONE_CHANNELS else ["sms"])
    for channel in order:
        destination = phone if channel in PHONE_CHANNELS else email
        if destination:
            return channel, destination
    return None


def person_destination(person, channel: str | None = None) -> tuple[str, str] | None:
    """(channel, address) to reach a citizen: `channel` or their preferred one at their account's
    phone or e-mail, falling back to the other address; None without an account or address."""
    account = getattr(person, "account", None)
    if account is None:
        return None
    return _pick(channel or person.preferred_channel or "sms", account.phone, account.email)


def notification_enqueue_for_person(*, person, template: str, context: dict[str, Any], channel: str | None = None,
                                    language: str | None = None, mall=None, related: Any = None,
                                    dedupe_key: str | None = None) -> Notification | None:
    """Notify a citizen by `Person.preferred_channel` (or `channel`) at their account's phone or
    e-mail, falling back to the other address. Returns None when the person has no account or
    no address to reach (e.g. a child in the KK: notify the actor instead)."""
    choice = person_destination(person, channel)
    if choice is None:
        logger.info("notification %s not sent: person %s has no phone or e-mail", template, person.code)
        return None
    chosen, destination = choice
    account = person.account
    return notification_enqueue(channel=chosen, destination=destination, template=template, context=context,
                                language=language or account.preferred_language, person=person, user=account,
                                mall=mall, related=related, dedupe_key=dedupe_key)


def notification_enqueue_for_user(*, user, template: str, context: dict[str, Any], mall=None, related: Any = None,
                                  dedupe_key: str | None = None) -> Notification | None:
    """Notify an account (an officer: deadline warnings) by e-mail, else SMS."""
    choice = _pick("email", user.phone, user.email)
    if choice is None:
        return None
    chosen, destination = choice
    person = getattr(user, "person", None) if user.kind == "citizen" else None
    return notification_enqueue(channel=chosen, destination=destination, template=template, context=context,
                                language=user.preferred_language, person=person, user=user, mall=mall,
                                related=related, dedupe_key=dedupe_key)


def _schedule(notification_id: int, *, template: str, run_after: datetime | None = None) -> None:
    from satupintu.notifications.tasks import deliver_notification

    task = deliver_notification
    priority = spec_for(template).priority if template in TEMPLATES else 0
    if priority:
        task = task.using(priority=priority)
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return  # e.g. the ImmediateBackend: the sweeper picks the row up when it is due
        task = task.using(run_after=run_after)
    task.enqueue(notification_id)


# --- delivering ---------------------------------------------------------------------------

def _due(now: datetime) -> Q:
    return (Q(status=Status.PENDING) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))) | Q(
        status=Status.SENDING, next_attempt_at__lte=now)  # a lease that ran out: its worker died


def backoff_seconds(attempt: int, retry_after: float | None = None) -> float:
    """Exponential backoff with equal jitter: attempt 1 -> 15..30 s (base 30), doubling up to
    the cap; never sooner than the provider's Retry-After."""
    base = settings.NOTIFICATIONS_RETRY_BASE_SECONDS
    ceiling = min(settings.NOTIFICATIONS_RETRY_MAX_SECONDS, base * 2 ** max(0, attempt - 1))
    delay = ceiling / 2 + random.uniform(0, ceiling / 2)
    return max(delay, retry_after or 0)


def _claim(notification_id: int) -> Notification | None:
    now = timezone.now()
    with transaction.atomic():
        notification = (Notification.objects.select_for_update(skip_locked=True)
                        .filter(_due(now), pk=notification_id).first())
        if notification is None:
            return None  # already sent or final, not due yet, or another worker holds it
        recovered = notification.status == Status.SENDING
        if notification.attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS:
            # e.g. a message that makes the worker die every time: stop trying
            notification.status, notification.next_attempt_at = Status.FAILED, None
            notification.last_error = (notification.last_error or "worker stopped while sending")[:2000]
            notification.context = _scrubbed(notification)
            notification.save(update_fields=["status", "next_attempt_at", "last_error", "context", "updated_at"])
            NotificationEvent.objects.create(notification=notification, kind=Kind.FAILED,
                                             attempt=notification.attempts,
                                             detail=f"gave up after {notification.attempts} attempts")
            return None
        notification.status = Status.SENDING
        notification.attempts += 1
        notification.next_attempt_at = now + timedelta(seconds=settings.NOTIFICATIONS_SENDING_LEASE_SECONDS)
        notification.save(update_fields=["status", "attempts", "next_attempt_at", "updated_at"])
        NotificationEvent.objects.create(notification=notification, kind=Kind.RECOVERED if recovered else Kind.SENDING,
                                         attempt=notification.attempts)
    return notification


def _finish(notification: Notification, **changes: Any) -> bool:
    """Write the outcome only if this worker still owns the attempt (the attempt number is the
    fencing token: after a lease ran out, a newer attempt may own the row)."""
    changes["updated_at"] = timezone.now()
    return bool(Notification.objects.filter(pk=notification.pk, status=Status.SENDING,
                                            attempts=notification.attempts).update(**changes))


def _scrubbed(notification: Notification) -> dict[str, Any]:
    spec = TEMPLATES.get(notification.template)
    sensitive = spec.sensitive if spec else frozenset()
    return {key: ("" if key in sensitive else value) for key, value in notification.context.items()}


def notification_deliver(*, notification_id: int) -> Notification | None:
    """Deliver one outbox row if it is due. Returns the row as left, or None when there was
    nothing to do (sent already, not due, or another worker holds it)."""
    notification = _claim(notification_id)
    if notification is None:
        return None
    try:
        rendered = render(template=notification.template, channel=notification.channel,
                          language=notification.language, context=_unseal(notification.context),
                          mall_name=notification.mall.name if notification.mall_id else "")
    except Exception as exc:  # noqa: BLE001 - a row that cannot be rendered will never be sendable
        logger.exception("notification %s cannot be rendered", notification.pk)
        _record_failure(notification, f"render: {exc}", permanent=True)
        return Notification.objects.get(pk=notification.pk)
    message = OutboundMessage(to=notification.destination, body=rendered.body, subject=rendered.subject,
                              idempotency_key=str(notification.idempotency_key), language=notification.language)
    try:
        result = client_for(notification.channel).send(message)
    except ProviderError as exc:
        _record_failure(notification, str(exc), permanent=not exc.retryable, retry_after=exc.retry_after,
                        code=exc.code)
    except Exception as exc:  # noqa: BLE001 - an adapter bug: retry with backoff, give up after the maximum
        logger.exception("notification %s: unexpected error from the %s adapter", notification.pk,
                         notification.channel)
        _record_failure(notification, f"unexpected: {exc.__class__.__name__}: {exc}", permanent=False)
    else:
        _record_sent(notification, result)
    return Notification.objects.get(pk=notification.pk)


def _record_sent(notification: Notification, result: ProviderResult) -> None:
    with transaction.atomic():
        if _finish(notification, status=Status.SENT, sent_at=timezone.now(), next_attempt_at=None,
                   provider_message_id=result.message_id[:120], last_error="", context=_scrubbed(notification)):
            NotificationEvent.objects.create(
                notification=notification, kind=Kind.SENT, attempt=notification.attempts,
                detail=f"{result.message_id}{' (provider had it already)' if result.duplicate else ''}")


def _record_failure(notification: Notification, error: str, *, permanent: bool, retry_after: float | None = None,
                    code: str = "") -> None:
    error = error[:2000]
    exhausted = notification.attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS
    with transaction.atomic():
        if permanent or exhausted:
            if _finish(notification, status=Status.FAILED, next_attempt_at=None, last_error=error,
                       context=_scrubbed(notification)):
                reason = "permanent" if permanent else f"gave up after {notification.attempts} attempts"
                NotificationEvent.objects.create(notification=notification, kind=Kind.FAILED,
                                                 attempt=notification.attempts, detail=f"{reason}: {error}")
                if permanent and code == "not_on_whatsapp":
                    _fallback_to_sms(notification)
            return
        when = timezone.now() + timedelta(seconds=backoff_seconds(notification.attempts, retry_after))
        if _finish(notification, status=Status.PENDING, next_attempt_at=when, last_error=error):
            NotificationEvent.objects.create(notification=notification, kind=Kind.RETRY,
                                             attempt=notification.attempts,
                                             detail=f"next attempt {when.isoformat()}: {error}")
            transaction.on_commit(lambda: _schedule(notification.pk, template=notification.template, run_after=when))


def _fallback_to_sms(notification: Notification) -> None:
    """The number has no WhatsApp: send the same message by SMS (once)."""
    copy = notification_enqueue(
        channel="sms", destination=notification.destination, template=notification.template,
        context=_unseal(notification.context), language=notification.language, person=notification.person,
        user=notification.user, mall=notification.mall, dedupe_key=f"fallback:{notification.idempotency_key}",
    )
    copy.related_type, copy.related_code = notification.related_type, notification.related_code
    copy.save(update_fields=["related_type", "related_code"])
    NotificationEvent.objects.create(notification=notification, kind=Kind.FALLBACK, attempt=notification.attempts,
                                     detail=f"SMS copy #{copy.pk}")


# --- recovering --------------------------------------------------------------------------

def notification_sweep(*, now: datetime | None = None, limit: int = 1000) -> int:
    """Re-enqueue what no worker will otherwise deliver: rows left in `sending` by a worker
    that died (lease expired) and due `pending` rows whose task was lost. Each row swept gets
    a fresh grace period, so a busy queue is not flooded with duplicate tasks (and duplicate
    tasks are harmless anyway: delivery claims the row). Returns the number re-enqueued."""
    now = now or timezone.now()
    grace = now - timedelta(seconds=settings.NOTIFICATIONS_SWEEP_GRACE_SECONDS)
    stuck = Q(status=Status.SENDING, next_attempt_at__lte=now)
    lost = Q(status=Status.PENDING) & (Q(next_attempt_at__lte=grace) | Q(next_attempt_at__isnull=True,
                                                                         created_at__lte=grace))
    with transaction.atomic():
        rows = list(Notification.objects.select_for_update(skip_locked=True).filter(stuck | lost)
                    .order_by("next_attempt_at", "id")[:limit])
        for row in rows:
            detail = "worker stopped while sending" if row.status == Status.SENDING else "task lost"
            NotificationEvent.objects.create(notification=row, kind=Kind.REQUEUED, attempt=row.attempts,
                                             detail=detail)
        stamp = timezone.now()  # due at once, and the start of a fresh grace period
        Notification.objects.filter(pk__in=[row.pk for row in rows]).update(
            status=Status.PENDING, next_attempt_at=stamp, updated_at=stamp)
        due = [(row.pk, row.template) for row in rows]
        transaction.on_commit(lambda: [_schedule(pk, template=template) for pk, template in due])
    return len(due)
