from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _

from satupintu.catalogue import selectors
from satupintu.catalogue.finder import find
from satupintu.catalogue.hours import mall_open_state
from satupintu.core.errors import NotFound
from satupintu.core.views import not_found

MAX_QUERY = 200


def _404(request):
    return not_found(request)


def home(request):
    malls = list(selectors.mall_list())
    return render(request, "catalogue/home.html", {"malls": malls})


def search(request):
    query = (request.GET.get("q") or "").strip()
    mall = (request.GET.get("mall") or "").strip() or None
    error = None
    hits = []
    if len(query) > MAX_QUERY:
        error = _("Kata kunci terlalu panjang (maksimal %(n)d karakter).") % {"n": MAX_QUERY}
    elif query:
        hits = find(query, mall=mall, limit=20)
    return render(request, "catalogue/search.html", {
        "query": query, "hits": hits, "error": error, "malls": selectors.mall_list(), "mall": mall,
    })


def mall_list(request):
    return render(request, "catalogue/mall_list.html", {"malls": selectors.mall_list()})


def mall_detail(request, mall):
    try:
        obj = selectors.mall_get(mall)
    except NotFound:
        return _404(request)
    services = selectors.service_list(mall=obj.slug)
    agencies: dict = {}
    for service in services:
        agencies.setdefault(service.agency, []).append(service)
    return render(request, "catalogue/mall_detail.html", {
        "mall": obj, "agencies": agencies, "state": mall_open_state(obj),
        "hours": list(obj.opening_hours.all()),
    })


def agency_detail(request, agency):
    try:
        obj = selectors.agency_get(agency)
    except NotFound:
        return _404(request)
    services = selectors.service_list(agency=obj.slug)
    return render(request, "catalogue/agency_detail.html", {"agency": obj, "services": services})


def _service(request, mall, code):
    try:
        return selectors.service_get(code, mall=mall)
    except NotFound:
        return None


def service_detail(request, mall, code):
    service = _service(request, mall, code)
    if service is None:
        return _404(request)
    return render(request, "catalogue/service_detail.html", {"service": service})


def service_checklist(request, mall, code):
    service = _service(request, mall, code)
    if service is None:
        return _404(request)
    return render(request, "catalogue/service_checklist.html", {"service": service})
