"""Reads of the survey: the IKM of a mall, an agency or a service over a period, computed
in one aggregate query (no response rows loaded)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, QuerySet, Sum

from satupintu.catalogue.models import Agency, Mall, Service
from satupintu.survey.ikm import IkmError, IkmResult, ikm_from_totals
from satupintu.survey.models import SurveyResponse


def survey_ikm(*, mall: Mall, agency: Agency | None = None, service: Service | None = None,
               start: datetime | None = None, end: datetime | None = None,
               weight: str | None = None) -> IkmResult | None:
    """IKM of the responses in [start, end); None when some unsur has no answer yet.
    The weight defaults to the mall's setting (exact 1/9 unless a legacy weight is chosen)."""
    qs = survey_responses(mall=mall, agency=agency, service=service, start=start, end=end)
    agg = qs.aggregate(
        n=Count("id"),
        **{f"t{i}": Sum(f"u{i}") for i in range(1, 10)},
        **{f"a{i}": Count(f"u{i}") for i in range(1, 10)},
    )
    totals = {f"U{i}": agg[f"t{i}"] or 0 for i in range(1, 10)}
    answered = {f"U{i}": agg[f"a{i}"] for i in range(1, 10)}
    try:
        return ikm_from_totals(totals, answered, n=agg["n"], weight=weight or mall.ikm_weight)
    except IkmError:
        return None


def survey_responses(*, mall: Mall, agency: Agency | None = None, service: Service | None = None,
                     start: datetime | None = None, end: datetime | None = None) -> QuerySet[SurveyResponse]:
    qs = SurveyResponse.objects.filter(mall=mall)
    if agency is not None:
        qs = qs.filter(agency=agency)
    if service is not None:
        qs = qs.filter(service=service)
    if start is not None:
        qs = qs.filter(created_at__gte=start)
    if end is not None:
        qs = qs.filter(created_at__lt=end)
    return qs
