"""Survey demo data: synthetic responses for a few Kota Tangerang services, so the IKM
figures have something to show, and one open survey link to try the form. Idempotent: the
responses have fixed transaction codes and at most one response per transaction exists."""

from __future__ import annotations

import random

from satupintu.catalogue.models import Service
from satupintu.survey.models import SurveyResponse
from satupintu.survey.services import survey_link_for

# (service, respondents, how satisfied: chance of a 4 / of a 3; the rest are 2s)
PLAN = [
    ("KTPEL_HILANG_RUSAK", 40, 0.55, 0.40),
    ("AKTA_KELAHIRAN", 30, 0.60, 0.35),
    ("SKCK", 25, 0.35, 0.50),
    ("PKB_TAHUNAN", 20, 0.20, 0.55),
]


def load(stdout):
    rng = random.Random(2017)  # PermenPANRB 14/2017
    rows = []
    for code, count, p4, p3 in PLAN:
        service = Service.objects.filter(mall__slug="kota-tangerang", public_code=code).select_related(
            "mall", "agency").first()
        if service is None:
            continue
        for i in range(count):
            answers = {}
            for u in range(1, 10):
                roll = rng.random()
                answers[f"u{u}"] = 4 if roll < p4 else 3 if roll < p4 + p3 else 2
            if i % 7 == 3:
                answers["u8"] = None  # not everyone has used the complaint channel
            rows.append(SurveyResponse(
                mall=service.mall, agency=service.agency, service=service, related_type="demo",
                related_code=f"demo-{code}-{i:03d}", channel=rng.choice(["web", "whatsapp", "kiosk", "paper"]),
                age_band=rng.choice(SurveyResponse.AgeBand.values), sex=rng.choice(SurveyResponse.Sex.values),
                education=rng.choice(SurveyResponse.Education.values),
                occupation=rng.choice(SurveyResponse.Occupation.values), **answers,
            ))
    before = SurveyResponse.objects.filter(related_type="demo").count()
    SurveyResponse.objects.bulk_create(rows, ignore_conflicts=True)
    added = SurveyResponse.objects.filter(related_type="demo").count() - before
    stdout.write(f"survei: {added} jawaban demo ditambahkan ({before} sudah ada)")
    ktp = Service.objects.filter(mall__slug="kota-tangerang", public_code="KTPEL_HILANG_RUSAK").select_related(
        "mall", "agency").first()
    if ktp is not None:
        link = survey_link_for(mall=ktp.mall, agency=ktp.agency, service=ktp, related_type="demo-open",
                               related_code="DEMO-SURVEI-1")
        stdout.write(f"survei: contoh tautan survei {link}")
    return []
