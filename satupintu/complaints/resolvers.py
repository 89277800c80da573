"""Link resolvers for the transactions a complaint can be about (see links.py)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from satupintu.complaints.links import Link, register_link_resolver


def resolve_ticket(user, code: str) -> Link | None:
    """A queue ticket is reached by its unguessable code (the printed QR / link)."""
    from satupintu.queue.selectors import ticket_get

    ticket = ticket_get(code)
    return Link(type="ticket", code=str(ticket.code), reference=ticket.number, mall=ticket.mall,
                agency=ticket.agency, service=ticket.service, counter=ticket.counter, officer=ticket.called_by,
                service_date=ticket.date, label=_("nomor antrean"))


def resolve_application(user, code: str) -> Link | None:
    """Only the applicant (or someone acting for them) can link their application."""
    from satupintu.applications.models import Application
    from satupintu.identity.access import get_in_scope

    qs = Application.objects.filter(code=code).select_related("mall", "agency", "service")
    application = get_in_scope(qs, user, person_field="applicant")
    when = application.closed_at or application.submitted_at
    if when:
        when = when.astimezone(ZoneInfo(application.mall.timezone))
    return Link(type="application", code=str(application.code), reference=application.reference or "",
                mall=application.mall, agency=application.agency, service=application.service,
                service_date=when.date() if when else None, label=_("permohonan"))


def register() -> None:
    register_link_resolver("ticket", resolve_ticket)
    register_link_resolver("application", resolve_application)
