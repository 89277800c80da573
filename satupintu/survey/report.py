"""SKM report in the layout of PermenPANRB 14/2017's processing table ("tabel pengolahan"):
the answers of each respondent per unsur, then Σ per unsur, NRR, weighted NRR, the IKM of the
unit (1–4 scale), the converted IKM (×25), mutu and kinerja; the respondent profile; the grade
table. XLSX (every respondent row, formulas checked against our calculation) and PDF
(summary; respondents are counted, not listed; numbers in Indonesian format)."""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.template.loader import render_to_string

from satupintu.survey.ikm import WEIGHTS, IkmResult, ikm_compute, round_half_up
from satupintu.survey.models import SurveyResponse
from satupintu.survey.regulation import grade_bands, unsur

PROFILE = {
    "age_band": ("Usia", SurveyResponse.AgeBand),
    "sex": ("Jenis kelamin", SurveyResponse.Sex),
    "education": ("Pendidikan", SurveyResponse.Education),
    "occupation": ("Pekerjaan", SurveyResponse.Occupation),
}


@dataclass
class Report:
    title: str
    unit: str
    period_from: date | None
    period_to: date | None
    result: IkmResult
    rows: list[dict[str, int | None]]
    profile: dict[str, list[tuple[str, int]]]

    @property
    def period(self) -> str:
        if not (self.period_from or self.period_to):
            return "semua waktu"
        start = self.period_from.strftime("%d-%m-%Y") if self.period_from else "…"
        end = self.period_to.strftime("%d-%m-%Y") if self.period_to else "…"
        return f"{start} s.d. {end}"

    def lines(self) -> list[dict]:
        """The processing table's summary lines, per unsur in order."""
        codes = [u.code for u in unsur()]
        w = WEIGHTS[self.result.weight]
        return [
            {"label": "Σ nilai per unsur", "values": [self.result.totals[c] for c in codes]},
            {"label": "Jumlah jawaban per unsur", "values": [self.result.answered[c] for c in codes]},
            {"label": "NRR per unsur", "values": [round_half_up(self.result.nrr[c], 4) for c in codes]},
            {"label": f"NRR tertimbang (× {self.weight_label})",
             "values": [round_half_up(self.result.nrr[c] * w, 4) for c in codes]},
        ]

    def nrr_rows(self) -> list[tuple[str, str, object]]:
        return [(u.code, u.name, round_half_up(self.result.nrr[u.code], 4)) for u in unsur()]

    def profile_tables(self) -> list[tuple[str, list[tuple[str, int]]]]:
        return [(label, self.profile[name]) for name, (label, _choices) in PROFILE.items()]

    @property
    def weight_label(self) -> str:
        return "1/9" if self.result.weight == "exact" else self.result.weight

    @property
    def ikm_unit(self):
        return round_half_up(self.result.ikm_exact / 25, 4)


def build_report(*, responses, title: str, unit: str, weight: str = "exact", period_from: date | None = None,
                 period_to: date | None = None) -> Report:
    """`responses`: SurveyResponse rows (or anything with .answers() and the profile fields)."""
    responses = list(responses)
    rows = [r.answers() for r in responses]
    result = ikm_compute(rows, weight=weight)
    profile = {}
    for name, (_label, choices) in PROFILE.items():
        counts = Counter(getattr(r, name) or "" for r in responses)
        profile[name] = [(str(label), counts.get(value, 0)) for value, label in choices.choices]
        profile[name].append(("tidak menjawab", counts.get("", 0)))
    return Report(title, unit, period_from, period_to, result, rows, profile)


def report_xlsx(report: Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Pengolahan"
    codes = [u.code for u in unsur()]
    bold = Font(bold=True)
    ws.append([report.title])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(["Unit pelayanan", report.unit])
    ws.append(["Periode", report.period])
    ws.append(["Bobot per unsur", report.weight_label])
    ws.append([])
    ws.append(["No. responden", *codes])
    for cell in ws[ws.max_row]:
        cell.font = bold
    for i, row in enumerate(report.rows, start=1):
        ws.append([i, *[row[c] for c in codes]])
    ws.append([])
    for line in report.lines():
        ws.append([line["label"], *[float(v) for v in line["values"]]])
        ws.cell(ws.max_row, 1).font = bold
    ws.append([])
    ws.append(["IKM unit pelayanan (Σ NRR tertimbang)", float(report.ikm_unit)])
    ws.append(["IKM konversi (× 25)", float(report.result.ikm)])
    ws.append(["Mutu pelayanan", report.result.grade.mutu])
    ws.append(["Kinerja unit pelayanan", report.result.grade.kinerja])
    ws.append(["Jumlah responden", report.result.n])
    for r in range(ws.max_row - 4, ws.max_row + 1):
        ws.cell(r, 1).font = bold
    ws.append([])
    ws.append(["Keterangan"])
    ws.cell(ws.max_row, 1).font = bold
    for u in unsur():
        ws.append([u.code, u.name])
    ws.append([])
    ws.append(["Nilai interval konversi (IKM)", "Mutu", "Kinerja"])
    for band in grade_bands():
        ws.append([f"≥ {band.minimum}", band.mutu, band.kinerja])
    ws.column_dimensions["A"].width = 38
    for col in "BCDEFGHIJ":
        ws.column_dimensions[col].width = 10
    ws["A1"].alignment = Alignment(wrap_text=False)

    prof = wb.create_sheet("Profil responden")
    for name, (label, _choices) in PROFILE.items():
        prof.append([label])
        prof.cell(prof.max_row, 1).font = bold
        for choice, count in report.profile[name]:
            prof.append([choice, count])
        prof.append([])
    prof.column_dimensions["A"].width = 32
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def report_html(report: Report) -> str:
    return render_to_string("survey/report.html", {"report": report, "unsur": unsur(), "bands": grade_bands()})


def report_pdf(report: Report) -> bytes:
    from weasyprint import HTML

    return HTML(string=report_html(report)).write_pdf()
