from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _

from satupintu.catalogue import selectors
from satupintu.catalogue.cache import public_page
from satupintu.catalogue.finder import find
from satupintu.catalogue.hours import mall_open_state, upcoming_exceptions, week_schedule, zone_abbreviation
from satupintu.core.errors import NotFound
from satupintu.core.views import not_found

MAX_QUERY = 200


@public_page()
def home(request):
    malls = list(selectors.mall_list())
    return render(request, "catalogue/home.html", {"malls": malls})


def search(request):
    query = (request.GET.get("q") or "").strip()
    mall = (request.GET.get("mall") or "").strip() or None
    if mall and not selectors.CODE_RE.match(mall):
        mall = None  # not a mall code: search every mall
    error = None
    hits = []
    if len(query) > MAX_QUERY:
        error = _("Kata kunci terlalu panjang: %(got)d karakter, paling banyak %(n)d. Persingkat kata kunci Anda.") % {
            "got": len(query), "n": MAX_QUERY}
    elif "\x00" in query:  # PostgreSQL text cannot hold it, and no one types it
        error = _("Kata kunci berisi karakter yang tidak dapat dibaca. Ketik ulang kata kunci Anda.")
    elif query:
        hits = find(query, mall=mall, limit=20)
    return render(request, "catalogue/search.html", {
        "query": query, "hits": hits, "error": error, "malls": selectors.mall_list(), "mall": mall,
    })


@public_page()
def mall_list(request):
    return render(request, "catalogue/mall_list.html", {"malls": selectors.mall_list()})


@public_page(timeout=60)  # "Buka sekarang" depends on the clock
def mall_detail(request, mall):
    try:
        obj = selectors.mall_get(mall)
    except NotFound:
        return not_found(request)
    agencies: dict = {}
    for service in selectors.service_list(mall=obj.slug):
        agencies.setdefault(service.agency, []).append(service)
    return render(request, "catalogue/mall_detail.html", {
        "mall": obj, "agencies": agencies, "state": mall_open_state(obj), "week": week_schedule(obj),
        "exceptions": upcoming_exceptions(obj), "zone": zone_abbreviation(obj.timezone),
    })


@public_page()
def agency_detail(request, agency):
    try:
        obj = selectors.agency_get(agency)
    except NotFound:
        return not_found(request)
    tenancies = obj.tenancies.filter(is_active=True).select_related("mall").order_by("mall__name")
    services = selectors.service_list(agency=obj.slug)
    return render(request, "catalogue/agency_detail.html", {"agency": obj, "services": services,
                                                            "tenancies": tenancies})


def _service(mall, code):
    try:
        return selectors.service_get(code, mall=mall)
    except NotFound:
        return None


@public_page()
def service_detail(request, mall, code):
    service = _service(mall, code)
    if service is None:
        return not_found(request)
    return render(request, "catalogue/service_detail.html", {"service": service})


@public_page()
def service_checklist(request, mall, code):
    service = _service(mall, code)
    if service is None:
        return not_found(request)
    return render(request, "catalogue/service_checklist.html", {"service": service})
