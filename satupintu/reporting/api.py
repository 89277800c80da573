"""Public performance figures (no login, aggregates only): promised versus actual
completion time, IKM and grade, complaints answered on time — per service and per agency."""

from ninja import Router, Schema

from satupintu.catalogue.selectors import agency_get, service_get, service_list
from satupintu.reporting.public import service_figures

router = Router(tags=["kinerja publik / public performance"])


class DurationOut(Schema):
    unit: str
    promised: float | None
    completed_applications: int
    median: float | None
    p90: float | None
    within_promise_share: float | None
    enough_data: bool


class ServicePerformanceOut(Schema):
    service: str
    mall: str
    agency: str
    duration: DurationOut
    ikm: dict | None
    complaints_answered: int
    complaints_answered_on_time: int


def _out(service) -> dict:
    f = service_figures(service)
    d = f["durations"]
    enough = d.count >= f["min_sample"]
    return {
        "service": service.public_code, "mall": service.mall.slug, "agency": service.agency.slug,
        "duration": {"unit": d.unit, "promised": float(d.promised) if d.promised is not None else None,
                     "completed_applications": d.count, "median": d.median if enough else None,
                     "p90": d.p90 if enough else None,
                     "within_promise_share": d.within_promise_share if enough else None, "enough_data": enough},
        "ikm": f["ikm"],
        "complaints_answered": f["complaints"]["answered"],
        "complaints_answered_on_time": f["complaints"]["on_time"],
    }


@router.get("/performance/services/{code}", response=ServicePerformanceOut,
            summary="Kinerja satu layanan / one service's performance")
def service_performance(request, code: str, mall: str | None = None):
    return _out(service_get(code, mall=mall))


@router.get("/performance/agencies/{code}", response=list[ServicePerformanceOut],
            summary="Kinerja layanan satu instansi / an agency's services' performance")
def agency_performance(request, code: str):
    agency = agency_get(code)
    return [_out(s) for s in service_list(agency=agency.slug)]
