"""Who sees which figures: a mall manager (or auditor) sees every tenant of their mall;
an agency administrator sees the same figures for their agency only."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.catalogue.models import Agency, Mall
from satupintu.core.calendar import mall_today
from satupintu.core.errors import DomainError, NotFound
from satupintu.identity.access import memberships
from satupintu.identity.models import Role

MAX_RANGE_DAYS = 366


@dataclass
class Scope:
    mall: Mall
    agency_ids: list[int] | None  # None = every agency of the mall
    date_from: date
    date_to: date
    agencies: list[Agency] = field(default_factory=list)

    @property
    def label(self) -> str:
        if self.agency_ids is None:
            return self.mall.name
        return ", ".join(a.name for a in self.agencies)

    def filter(self, qs, *, mall_field: str = "mall", agency_field: str = "agency"):
        qs = qs.filter(**{f"{mall_field}_id": self.mall.id})
        if self.agency_ids is not None:
            qs = qs.filter(**{f"{agency_field}_id__in": self.agency_ids})
        return qs


def parse_range(raw_from: str | None, raw_to: str | None, *, today: date | None = None) -> tuple[date, date]:
    today = today or timezone.localdate()
    try:
        date_to = date.fromisoformat(raw_to) if raw_to else today
        date_from = date.fromisoformat(raw_from) if raw_from else date_to - timedelta(days=29)
    except ValueError as exc:
        raise DomainError(_("Tanggal tidak valid; gunakan format TTTT-BB-HH."), code="date_invalid",
                          field="dari") from exc
    if date_from > date_to:
        raise DomainError(_("Tanggal awal harus sebelum tanggal akhir."), code="range_invalid", field="dari")
    if (date_to - date_from).days > MAX_RANGE_DAYS:
        raise DomainError(_("Rentang paling panjang satu tahun."), code="range_too_long", field="dari")
    return date_from, date_to


def scope_for(user, *, mall_slug: str | None, date_from: date | None = None, date_to: date | None = None) -> Scope:
    """The mall/agency scope of the user; dates default to the last 30 days in the mall's zone."""
    rows = list(memberships(user, [Role.MALL_MANAGER, Role.AUDITOR, Role.AGENCY_ADMIN]).select_related("mall",
                                                                                                         "agency"))
    if mall_slug:
        rows = [m for m in rows if m.mall.slug == mall_slug]
    if not rows:
        raise NotFound()
    mall = rows[0].mall
    rows = [m for m in rows if m.mall_id == mall.id]
    if date_from is None or date_to is None:
        date_from, date_to = parse_range(None, None, today=mall_today(mall))
    if any(m.role in (Role.MALL_MANAGER, Role.AUDITOR) for m in rows):
        return Scope(mall, None, date_from, date_to)
    agencies = [m.agency for m in rows if m.agency_id]
    return Scope(mall, [a.id for a in agencies], date_from, date_to, agencies)
