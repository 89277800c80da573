"""Reads of the directory and catalogue."""

from __future__ import annotations

import re

from django.db.models import Count, Q, QuerySet

from satupintu.catalogue.models import Agency, Mall, Service
from satupintu.core.errors import DomainError, NotFound

# Public codes are plain ASCII; anything else (a NUL byte, spaces, other scripts) cannot
# name a row, so it is "not found" before it reaches the database.
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$")


def mall_list() -> QuerySet[Mall]:
    return Mall.objects.select_related("region").annotate(
        service_count=Count("services", filter=Q(services__is_active=True))
    ).order_by("name")


def mall_get(slug: str) -> Mall:
    if not CODE_RE.match(slug or ""):
        raise NotFound()
    mall = Mall.objects.select_related("region", "village").filter(slug=slug).first()
    if mall is None:
        raise NotFound()
    return mall


def agency_get(slug: str) -> Agency:
    if not CODE_RE.match(slug or ""):
        raise NotFound()
    agency = Agency.objects.select_related("parent", "region").filter(slug=slug).first()
    if agency is None:
        raise NotFound()
    return agency


def service_list(*, mall: str | None = None, agency: str | None = None, channel: str | None = None
                 ) -> QuerySet[Service]:
    qs = Service.objects.filter(is_active=True).select_related("mall", "agency").order_by(
        "mall__name", "agency__name", "name", "id"
    )
    if (mall and not CODE_RE.match(mall)) or (agency and not CODE_RE.match(agency)):
        return qs.none()
    if mall:
        qs = qs.filter(mall__slug=mall)
    if agency:
        qs = qs.filter(agency__slug=agency)
    if channel == "online":
        qs = qs.filter(online=True)
    elif channel == "counter":
        qs = qs.filter(at_counter=True)
    elif channel == "both":
        qs = qs.filter(online=True, at_counter=True)
    return qs


def service_get(code: str, *, mall: str | None = None) -> Service:
    """A service by its public code; `mall` is needed only when several malls use the code."""
    if not CODE_RE.match(code or "") or (mall and not CODE_RE.match(mall)):
        raise NotFound()
    # The raw catalogue records (`source`) are large JSON nobody reads here: leave them in the database.
    qs = (Service.objects.select_related("mall", "agency", "mall__region").filter(public_code=code)
          .defer("source", "search_aliases", "mall__source", "mall__online_channels", "agency__source"))
    if mall:
        qs = qs.filter(mall__slug=mall)
    found = list(qs[:5])
    if not found:
        raise NotFound()
    if len(found) > 1:
        from django.utils.translation import gettext as _

        raise DomainError(
            _("Kode layanan %(code)s dipakai di beberapa mal; sebutkan mal dengan ?mall=. / The code is used by "
              "several malls; add ?mall=.") % {"code": code},
            code="ambiguous_code", status=409, details={"malls": sorted(s.mall.slug for s in found)},
        )
    return found[0]
