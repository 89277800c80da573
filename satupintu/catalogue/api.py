from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import Field

from satupintu.catalogue import selectors
from satupintu.catalogue.finder import find
from satupintu.catalogue.models import Service
from satupintu.catalogue.schemas import AgencyOut, MallOut, SearchHitOut, ServiceDetailOut, ServiceOut
from satupintu.catalogue.templatetags.catalogue_tags import rupiah
from satupintu.core.errors import DomainError

router = Router(tags=["katalog / catalogue"])


def _mall(m) -> dict:
    return {"code": m.slug, "name": m.name, "region_code": m.region.code, "region_name": m.region.name,
            "address": m.address, "timezone": m.timezone, "service_count": getattr(m, "service_count", None)}


def _service(s: Service) -> dict:
    return {
        "code": s.public_code, "name": s.name, "name_en": s.name_en, "agency": s.agency.slug,
        "agency_name": s.agency.name, "mall": s.mall.slug, "mall_name": s.mall.name, "online": s.online,
        "at_counter": s.at_counter, "is_free": s.is_free,
        "url": reverse("catalogue:service_detail", args=[s.mall.slug, s.public_code]),
    }


def _fee_text(s: Service) -> str:
    if s.is_free:
        return "Gratis"
    parts = []
    for fee in s.fees:
        amount = rupiah(fee["amount"]) if fee.get("amount") is not None else fee.get("text", "")
        parts.append(f"{fee['label']}: {amount}" if fee.get("label") else amount)
    return "; ".join(p for p in parts if p)


@router.get("/malls", response=list[MallOut], summary="Daftar mal / list malls")
def malls(request):
    return [_mall(m) for m in selectors.mall_list()]


@router.get("/malls/{code}", response=MallOut, summary="Satu mal / one mall")
def mall(request, code: str):
    return _mall(selectors.mall_get(code))


@router.get("/agencies", response=list[AgencyOut], summary="Daftar instansi / list agencies")
def agencies(request, mall: str | None = None):
    from satupintu.catalogue.models import Agency

    qs = Agency.objects.select_related("parent").order_by("name")
    if mall:
        qs = qs.filter(tenancies__mall__slug=mall).distinct()
    return [{"code": a.slug, "name": a.name, "kind": a.kind, "parent": a.parent.slug if a.parent else None}
            for a in qs]


CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$"  # as selectors.CODE_RE


class ServiceFilter(Schema):
    mall: str | None = Field(None, max_length=60, pattern=CODE_PATTERN)
    agency: str | None = Field(None, max_length=60, pattern=CODE_PATTERN)
    channel: str | None = Field(None, pattern="^(online|counter|both)$")


@router.get("/services", response=list[ServiceOut], summary="Daftar layanan / list services")
@paginate(LimitOffsetPagination)
def services(request, filters: Query[ServiceFilter]):
    qs = selectors.service_list(mall=filters.mall, agency=filters.agency, channel=filters.channel).only(
        *LIST_FIELDS)
    return _LazyPage(qs)


# Only the columns a list row shows: the Standar Pelayanan JSON stays in the database.
LIST_FIELDS = ("public_code", "name", "name_en", "online", "at_counter", "is_free", "agency__slug", "agency__name",
               "mall__slug", "mall__name")


class _LazyPage:
    """Lets the paginator slice and count the queryset; only the requested page is built."""

    def __init__(self, qs):
        self.qs = qs

    def __len__(self) -> int:
        return self.qs.count()

    def __getitem__(self, item):
        return [_service(s) for s in self.qs[item]]


class SearchQuery(Schema):
    q: str = Field(..., min_length=1, max_length=200, pattern=r"^[^\x00-\x08\x0b\x0c\x0e-\x1f]*$")
    mall: str | None = Field(None, max_length=60, pattern=CODE_PATTERN)
    limit: int = Field(10, ge=1, le=50)


@router.get("/services/search", response=list[SearchHitOut], summary="Cari layanan / search services")
def search(request, params: Query[SearchQuery]):
    if not params.q.strip():
        raise DomainError(_("Kata kunci kosong. / Empty query."), code="invalid_request", field="q", status=422)
    hits = find(params.q, mall=params.mall, limit=params.limit)
    return [{**_service(h.service), "fee": _fee_text(h.service), "score": round(h.score, 4)} for h in hits]


@router.get("/services/{code}", response=ServiceDetailOut, summary="Satu layanan / one service")
def service(request, code: str, mall: str | None = None):
    s = selectors.service_get(code, mall=mall)
    return {
        **_service(s), "description": s.description, "requirements": s.requirements, "procedure": s.procedure,
        "duration_value": float(s.duration_value) if s.duration_value is not None else None,
        "duration_unit": s.duration_unit, "duration_text": s.duration_text,
        "fees": [{"label": f.get("label", ""), "amount": f.get("amount"), "text": f.get("text", "")} for f in s.fees],
        "product": s.product, "complaint_channel": s.complaint_channel, "legal_basis": s.legal_basis,
        "manufacturing": s.manufacturing, "facts": s.facts,
    }
