"""Every notification template: its key, the context it needs, and which values are secret.

Templates live in ``templates/notifications/<language>/<key>.txt`` (the short text used for
SMS and WhatsApp, one line, SMS-sized), ``<key>.subject.txt`` (e-mail subject) and, where a
longer e-mail is worth it, ``<key>.email.txt``; otherwise the e-mail body is the short text
inside ``_email.txt``. Only "id" and "en" exist; any other language falls back to "id".

Context values are plain JSON. A value that must differ per language (a status label) may
be given as ``{"id": "...", "en": "..."}``; the renderer picks the language. Dates are ISO
strings (``2026-12-01``) and are printed in the language (``1 Desember 2026``).
A NIK never goes into a notification: enqueueing refuses any 16-digit number.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TemplateSpec:
    key: str
    required: frozenset[str]
    optional: frozenset[str] = frozenset()
    # encrypted in the outbox row, masked in the admin, erased once the row is final
    sensitive: frozenset[str] = frozenset()
    audience: str = "citizen"  # citizen | officer
    # task priority (-100..100): a code the citizen is waiting for goes before a batch of reminders
    priority: int = 0


def _spec(key: str, required: str, optional: str = "", sensitive: str = "", audience: str = "citizen",
          priority: int = 0) -> TemplateSpec:
    return TemplateSpec(key, frozenset(required.split()), frozenset(optional.split()), frozenset(sensitive.split()),
                        audience, priority)


TEMPLATES: dict[str, TemplateSpec] = {spec.key: spec for spec in [
    # purpose: login | register | reset_password | verify_phone | verify_email | mandate (other text is shown as is)
    _spec("identity.otp", "code minutes purpose", "prefix", sensitive="code", priority=50),
    # someone proved this identity and tried to register again: tell the owner (no contact details in it)
    _spec("identity.account_exists", "name", priority=50),
    _spec("identity.password_changed", "name", priority=50),
    _spec("application.status_changed", "reference service_name status_label", "url expected_date"),
    _spec("application.sent_back", "reference service_name", "url due_date items_count"),
    _spec("application.deadline_warning", "reference service_name due_date", "url working_days_left",
          audience="officer"),
    _spec("application.output_issued", "reference service_name", "url pickup_counter pickup_hours"),
    _spec("queue.booking_confirmed", "booking_code service_name mall_name date time", "url"),
    _spec("queue.booking_reminder", "booking_code mall_name date time", "service_name url"),
    _spec("queue.turn_near", "ticket_number mall_name", "people_ahead counter", priority=40),
    # status: a Complaint.Status value (labelled per language) unless status_label is given;
    # event "escalated" tells the mall manager the complaint is overdue
    _spec("survey.invitation", "url", "service_name"),
    _spec("complaint.status_changed", "tracking_code status", "status_label event agency url"),
    # used by the tests of the outbox itself
    _spec("notifications.test", "text"),
]}

LANGUAGES = ("id", "en")

# other names callers use for the same value (the queue domain sends "service", "mall", "short_code",
# "number"); normalised before checking and rendering, the canonical name wins when both are given
ALIASES = {"service": "service_name", "mall": "mall_name", "short_code": "booking_code",
           "number": "ticket_number"}


def normalise(context: dict) -> dict:
    values = dict(context)
    for alias, name in ALIASES.items():
        if alias in values:
            value = values.pop(alias)
            values.setdefault(name, value)
    return values


def spec_for(key: str) -> TemplateSpec:
    try:
        return TEMPLATES[key]
    except KeyError:
        raise ValueError(f"unknown notification template {key!r}; add it to notifications/catalog.py") from None
