"""Paper questionnaires typed into a spreadsheet: one row per respondent, columns U1…U9
(answers 1–4, blank = not answered). Every row is checked; each bad value is reported with
its line and column so the clerk can fix the sheet."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from satupintu.survey.regulation import unsur_codes

# Columns a typed sheet often carries besides the answers; they are read past.
IGNORED_COLUMNS = {"no", "nomor", "no.", "responden", "id"}
DELIMITERS = ",;\t"


@dataclass(frozen=True)
class Problem:
    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(f"baris/line {self.line}")
        if self.column:
            where.append(f"kolom/column {self.column}")
        return f"{', '.join(where)}: {self.message}" if where else self.message

    def as_json(self) -> dict:
        return {"line": self.line, "column": self.column, "error": self.message}


@dataclass
class Sheet:
    rows: list[tuple[int, dict[str, int | None]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # file-level problems are fatal
    bad_lines: set[int] = field(default_factory=set)

    @property
    def fatal(self) -> bool:
        return any(p.line is None or p.line == 1 for p in self.problems)


def _cell(raw: str, line: int, column: str, sheet: Sheet) -> int | None:
    value = raw.strip()
    if value == "":
        return None
    if re.fullmatch(r"[0-9]+", value):
        number = int(value)
        if 1 <= number <= 4:
            return number
        sheet.problems.append(Problem(line, column, f"nilai {value} di luar 1–4 / value {value} is not 1–4"))
    else:
        shown = value if len(value) <= 20 else value[:20] + "…"
        sheet.problems.append(Problem(line, column, f"{shown!r} bukan angka 1–4 / {shown!r} is not a number 1–4"))
    sheet.bad_lines.add(line)
    return None


def read_sheet(text: str) -> Sheet:
    sheet = Sheet()
    text = text.lstrip("\ufeff")
    if not text.strip():
        sheet.problems.append(Problem(None, None, "berkas kosong / the file is empty"))
        return sheet
    first_line = text.splitlines()[0]
    delimiter = max(DELIMITERS, key=first_line.count) if any(d in first_line for d in DELIMITERS) else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    codes = unsur_codes()
    try:
        header = next(reader)
    except StopIteration:
        sheet.problems.append(Problem(None, None, "berkas kosong / the file is empty"))
        return sheet
    names = [h.strip().upper() for h in header]
    seen: dict[str, int] = {}
    for position, name in enumerate(names, start=1):
        label = header[position - 1].strip() or f"#{position}"
        if name in seen:
            sheet.problems.append(Problem(1, label, f"kolom {label} muncul dua kali / column {label} appears twice"))
        elif name not in codes and name.lower() not in IGNORED_COLUMNS:
            sheet.problems.append(Problem(1, label, f"kolom tidak dikenal {label!r}; yang diharapkan U1…U9 / "
                                                    f"unknown column {label!r}, expected U1…U9"))
        seen.setdefault(name, position - 1)
    for code in codes:
        if code not in seen:
            sheet.problems.append(Problem(1, code, f"kolom {code} tidak ada / column {code} is missing"))
    if sheet.fatal:
        return sheet
    header_set = set(names)
    for row in reader:
        line = reader.line_num
        if not row or all(not c.strip() for c in row):
            if row:  # delimiters but no answers at all
                sheet.problems.append(Problem(line, None, "baris tanpa jawaban / a row with no answers"))
                sheet.bad_lines.add(line)
            continue
        if {c.strip().upper() for c in row} & header_set >= set(codes):
            sheet.problems.append(Problem(line, None, "baris judul ganda / the header row is repeated"))
            sheet.bad_lines.add(line)
            continue
        if len(row) > len(header):
            sheet.problems.append(Problem(line, None, f"{len(row)} kolom, judul hanya {len(header)} / "
                                                      f"{len(row)} cells but the header has {len(header)}"))
            sheet.bad_lines.add(line)
            continue
        answers = {code: _cell(row[seen[code]] if seen[code] < len(row) else "", line, code, sheet)
                   for code in codes}
        if line not in sheet.bad_lines:
            if all(v is None for v in answers.values()):
                sheet.problems.append(Problem(line, None, "baris tanpa jawaban / a row with no answers"))
                sheet.bad_lines.add(line)
            else:
                sheet.rows.append((line, answers))
    if not sheet.rows and not sheet.problems:
        sheet.problems.append(Problem(None, None, "tidak ada baris jawaban / no answer rows"))
    return sheet
