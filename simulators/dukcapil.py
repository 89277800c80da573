"""Simulator of a population-registry verification service in the style of Dukcapil's.

NOT the real service: synthetic residents and families, generated deterministically from a seed, whose NIKs
follow the real structure (region codes from data/reference/wilayah, women's day + 40, serials from 0001).

API (JSON; header ``X-API-Key`` must match ``DUKCAPIL_API_KEY``, default ``demo-dukcapil-key``):

* ``POST /api/v1/verify`` ``{"nik", "name", "birth_date" (YYYY-MM-DD), "birth_place"?, "mother_name"?}``
  → ``{"found": bool, "match": {"name": bool, "birth_date": bool, ...}}`` — one match flag per field the caller
  claimed; never the stored data. Names, places and mothers' names match ignoring case, spacing and punctuation.
* ``POST /api/v1/family`` ``{"nik", "name", "birth_date", "consent_reference"}`` → the members of the KK
  (``kk_number``, ``members: [{nik, name, sex, birth_date, birth_place, relationship}]``), only when the claimed
  name and birth date match the NIK (the caller proves who asks) and a consent reference is given.
* errors: 401 bad key, 422 bad input, 429 rate limit (``Retry-After``), 503 when "down" (``Retry-After``).

Test hooks (no key needed; loopback only): ``POST /_control {"mode": "ok"|"down"|"slow", "delay": 8,
"rate_limit": 50}``, ``GET /_control``, ``GET /_residents?limit=20&offset=0`` (synthetic residents, for tests).

Well-known demo residents (fixed, documented in docs/howto/dukcapil-simulator.md):

======================  ================  ==========  ======================  ==================
name                    NIK               born        place                   mother
======================  ================  ==========  ======================  ==================
Siti Rahayu (ibu, KK A) 3671015203880001  1988-03-12  Tangerang               Sumiati
Raka Pratama (anak, A)  3671010907150003  2015-07-09  Tangerang               Siti Rahayu
Ayu Lestari (anak, A)   3671016001190002  2019-01-20  Tangerang               Siti Rahayu
Agus Setiawan (ayah, B) 3671081405850002  1985-05-14  Jakarta                 Aminah
Nurul Hidayah (ibu, B)  3671085708900003  1990-08-17  Serang                  Kartini
Bima Saputra (anak, B)  3671082211200001  2020-11-22  Tangerang               Nurul Hidayah
======================  ================  ==========  ======================  ==================

KK A = 3671012010100004, KK B = 3671080102120007.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import random
import re
import threading
import time
from pathlib import Path

from simulators.base import JSONServer, Request

ROOT = Path(__file__).resolve().parents[1]
WILAYAH = Path(os.environ.get("REFERENCE_DATA_DIR", ROOT / "data" / "reference")) / "wilayah"
SEED = int(os.environ.get("DUKCAPIL_SIM_SEED", "2026"))
FAMILIES = int(os.environ.get("DUKCAPIL_SIM_FAMILIES", "400"))
TODAY = dt.date(2026, 11, 1)  # fixed so the generated population never depends on the run date

WELL_KNOWN_FAMILIES = [
    {
        "kk_number": "3671012010100004",
        "members": [
            {"nik": "3671015203880001", "name": "Siti Rahayu", "sex": "P", "birth_date": "1988-03-12",
             "birth_place": "Tangerang", "mother_name": "Sumiati", "relationship": "kepala_keluarga"},
            {"nik": "3671010907150003", "name": "Raka Pratama", "sex": "L", "birth_date": "2015-07-09",
             "birth_place": "Tangerang", "mother_name": "Siti Rahayu", "relationship": "anak"},
            {"nik": "3671016001190002", "name": "Ayu Lestari", "sex": "P", "birth_date": "2019-01-20",
             "birth_place": "Tangerang", "mother_name": "Siti Rahayu", "relationship": "anak"},
        ],
    },
    {
        "kk_number": "3671080102120007",
        "members": [
            {"nik": "3671081405850002", "name": "Agus Setiawan", "sex": "L", "birth_date": "1985-05-14",
             "birth_place": "Jakarta", "mother_name": "Aminah", "relationship": "kepala_keluarga"},
            {"nik": "3671085708900003", "name": "Nurul Hidayah", "sex": "P", "birth_date": "1990-08-17",
             "birth_place": "Serang", "mother_name": "Kartini", "relationship": "istri"},
            {"nik": "3671082211200001", "name": "Bima Saputra", "sex": "L", "birth_date": "2020-11-22",
             "birth_place": "Tangerang", "mother_name": "Nurul Hidayah", "relationship": "anak"},
        ],
    },
]

MALE = ["Agus", "Budi", "Dedi", "Eko", "Fajar", "Hendra", "Irfan", "Joko", "Rizki", "Slamet", "Teguh", "Wahyu",
        "Yusuf", "Andi", "Bayu", "Dimas", "Galih", "Hadi", "Rudi", "Arif"]
FEMALE = ["Ani", "Dewi", "Fitri", "Indah", "Kartika", "Lestari", "Maya", "Nur", "Putri", "Rina", "Sri", "Wulan",
          "Yuni", "Ayu", "Citra", "Eka", "Intan", "Nabila", "Ratna", "Siti"]
FAMILY_NAMES = ["Santoso", "Wijaya", "Saputra", "Hidayat", "Pratama", "Kurniawan", "Setiawan", "Rahayu",
                "Susanti", "Nugroho", "Permana", "Hakim", "Lubis", "Siregar", "Sembiring", "Tanjung", "Wibowo",
                "Utami", "Maulana", "Ramadhan"]
PLACES = ["Tangerang", "Jakarta", "Serang", "Bandung", "Bogor", "Semarang", "Surabaya", "Medan", "Padang",
          "Makassar", "Lebak", "Pandeglang", "Cilegon", "Palembang", "Yogyakarta"]


def _read(name: str) -> list[dict]:
    with open(WILAYAH / name, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def norm_text(value: str) -> str:
    """Case, spacing and punctuation do not matter: 'SITI  rahayu' == 'Siti Rahayu', "Ma'ruf" == 'Maruf'."""
    return " ".join(re.sub(r"[^\w\s]", "", (value or "").casefold()).split())


def make_nik(region6: str, birth: dt.date, sex: str, serial: int) -> str:
    day = birth.day + (40 if sex == "P" else 0)
    return f"{region6}{day:02d}{birth.month:02d}{birth.year % 100:02d}{serial:04d}"


class Registry:
    def __init__(self, seed: int = SEED, families: int = FAMILIES) -> None:
        self.by_nik: dict[str, dict] = {}
        self.kk: dict[str, list[str]] = {}
        self.serials: dict[str, int] = {}
        for fam in WELL_KNOWN_FAMILIES:
            self._add_family(fam["kk_number"], [dict(m) for m in fam["members"]])
        self._generate(random.Random(seed), families)

    def _add_family(self, kk_number: str, members: list[dict]) -> None:
        self.kk[kk_number] = []
        for m in members:
            m["kk_number"] = kk_number
            self.by_nik[m["nik"]] = m
            self.kk[kk_number].append(m["nik"])
            key = m["nik"][:12]
            self.serials[key] = max(self.serials.get(key, 0), int(m["nik"][12:]))

    def _next_nik(self, region6: str, birth: dt.date, sex: str) -> str:
        key = make_nik(region6, birth, sex, 0)[:12]
        self.serials[key] = self.serials.get(key, 0) + 1
        return make_nik(region6, birth, sex, self.serials[key])

    def _generate(self, rng: random.Random, families: int) -> None:
        banten = [r["kode_nodot"] for r in _read("banten_kecamatan.csv")]
        kota_tangerang = [r["kode_nodot"] for r in _read("tangerang_kota_kecamatan.csv")]
        other_regencies = [r["kode_nodot"] for r in _read("kabkota_indonesia.csv")]
        kk_serial = 0
        for _ in range(families):
            roll = rng.random()
            if roll < 0.6:
                region = rng.choice(kota_tangerang)
            elif roll < 0.85:
                region = rng.choice(banten)
            else:
                region = rng.choice(other_regencies) + f"{rng.randint(1, 12):02d}"
            family_name = rng.choice(FAMILY_NAMES)
            head_birth = dt.date(rng.randint(1950, 1998), rng.randint(1, 12), rng.randint(1, 28))
            spouse_birth = head_birth + dt.timedelta(days=rng.randint(-1500, 1500))
            head_mother = f"{rng.choice(FEMALE)} {rng.choice(FAMILY_NAMES)}"
            spouse_name = f"{rng.choice(FEMALE)} {rng.choice(FAMILY_NAMES)}"
            head = {"name": f"{rng.choice(MALE)} {family_name}", "sex": "L", "birth_date": head_birth,
                    "birth_place": rng.choice(PLACES), "mother_name": head_mother, "relationship": "kepala_keluarga"}
            members = [head]
            if rng.random() < 0.85:
                members.append({"name": spouse_name, "sex": "P", "birth_date": spouse_birth,
                                "birth_place": rng.choice(PLACES), "relationship": "istri",
                                "mother_name": f"{rng.choice(FEMALE)} {rng.choice(FAMILY_NAMES)}"})
            mother = spouse_name if len(members) > 1 else f"{rng.choice(FEMALE)} {rng.choice(FAMILY_NAMES)}"
            first_child = max(head_birth, spouse_birth) + dt.timedelta(days=365 * rng.randint(20, 30))
            for i in range(rng.randint(0, 3)):
                birth = first_child + dt.timedelta(days=365 * 2 * i + rng.randint(0, 300))
                if birth > TODAY:
                    break
                sex = rng.choice("LP")
                first = rng.choice(MALE if sex == "L" else FEMALE)
                members.append({"name": f"{first} {family_name}", "sex": sex, "birth_date": birth,
                                "birth_place": "Tangerang" if region.startswith("3671") else rng.choice(PLACES),
                                "mother_name": mother, "relationship": "anak"})
            kk_serial += 1
            issued = dt.date(rng.randint(2005, 2025), rng.randint(1, 12), rng.randint(1, 28))
            kk_number = f"{region}{issued.day:02d}{issued.month:02d}{issued.year % 100:02d}{kk_serial:04d}"
            for m in members:
                m["nik"] = self._next_nik(region, m["birth_date"], m["sex"])
                m["birth_date"] = m["birth_date"].isoformat()
            self._add_family(kk_number, members)


class State:
    def __init__(self) -> None:
        self.mode = "ok"
        self.delay = 8.0
        self.rate_limit = int(os.environ.get("DUKCAPIL_SIM_RATE_LIMIT", "50"))  # requests per second per key
        self.window_start = 0.0
        self.window_count: dict[str, int] = {}
        self.lock = threading.Lock()

    def allow(self, key: str) -> bool:
        with self.lock:
            now = time.monotonic()
            if now - self.window_start >= 1.0:
                self.window_start = now
                self.window_count = {}
            self.window_count[key] = self.window_count.get(key, 0) + 1
            return self.window_count[key] <= self.rate_limit


CLAIM_FIELDS = ("name", "birth_date", "birth_place", "mother_name")
TEXT_FIELDS = {"name", "birth_place", "mother_name"}


def build(seed: int = SEED, families: int = FAMILIES) -> JSONServer:
    registry = Registry(seed, families)
    state = State()
    api_key = os.environ.get("DUKCAPIL_API_KEY") or "demo-dukcapil-key"
    server = JSONServer("dukcapil")

    def guard(request: Request):
        """Auth, outage, slowness and rate limit — in the order a real gateway applies them."""
        if state.mode == "down":
            return 503, {"error": "service unavailable (simulated outage)", "retry_after": 30}
        if state.mode == "slow":
            time.sleep(state.delay)
        if request.headers.get("X-API-Key") != api_key:
            return 401, {"error": "invalid API key"}
        if not state.allow(api_key):
            return 429, {"error": "rate limit exceeded", "retry_after": 1}
        body = request.json()
        if not isinstance(body, dict) or not re.fullmatch(r"\d{16}", str(body.get("nik", ""))):
            return 422, {"error": "nik must be 16 digits"}
        if body.get("birth_date") is not None:
            try:
                dt.date.fromisoformat(str(body["birth_date"]))
            except ValueError:
                return 422, {"error": "birth_date must be YYYY-MM-DD"}
        return None

    def matches(resident: dict | None, body: dict) -> dict[str, bool]:
        result = {}
        for name in CLAIM_FIELDS:
            if body.get(name) in (None, ""):
                continue
            if resident is None:
                result[name] = False
            elif name in TEXT_FIELDS:
                result[name] = norm_text(str(body[name])) == norm_text(resident[name])
            else:
                result[name] = str(body[name]) == resident[name]
        return result

    @server.route("GET", "/health")
    def health(request: Request):
        return 200, {"status": "ok", "simulator": "dukcapil", "residents": len(registry.by_nik), "mode": state.mode}

    @server.route("POST", "/api/v1/verify")
    def verify(request: Request):
        refused = guard(request)
        if refused:
            return refused
        body = request.json()
        resident = registry.by_nik.get(body["nik"])
        return 200, {"found": resident is not None, "match": matches(resident, body)}

    @server.route("POST", "/api/v1/family")
    def family(request: Request):
        refused = guard(request)
        if refused:
            return refused
        body = request.json()
        if not body.get("consent_reference"):
            return 422, {"error": "consent_reference is required"}
        resident = registry.by_nik.get(body["nik"])
        claim = matches(resident, {"name": body.get("name"), "birth_date": body.get("birth_date")})
        if resident is None or len(claim) < 2 or not all(claim.values()):
            return 404, {"error": "no matching resident"}
        members = [registry.by_nik[n] for n in registry.kk[resident["kk_number"]]]
        return 200, {"kk_number": resident["kk_number"], "members": [
            {k: m[k] for k in ("nik", "name", "sex", "birth_date", "birth_place", "relationship")} for m in members
        ]}

    @server.route("POST", "/_control")
    def control(request: Request):
        body = request.json() or {}
        if body.get("mode") not in (None, "ok", "down", "slow"):
            return 422, {"error": "mode must be ok, down or slow"}
        state.mode = body.get("mode") or state.mode
        state.delay = float(body.get("delay", state.delay))
        state.rate_limit = int(body.get("rate_limit", state.rate_limit))
        return 200, {"mode": state.mode, "delay": state.delay, "rate_limit": state.rate_limit}

    @server.route("GET", "/_control")
    def control_get(request: Request):
        return 200, {"mode": state.mode, "delay": state.delay, "rate_limit": state.rate_limit}

    @server.route("GET", "/_residents")
    def residents(request: Request):
        limit = min(int(request.query.get("limit", 20)), 1000)
        offset = int(request.query.get("offset", 0))
        rows = list(registry.by_nik.values())[offset:offset + limit]
        return 200, {"count": len(registry.by_nik), "residents": rows}

    return server


def main(port: int = 8101) -> None:
    httpd = build().serve(port=port)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()


if __name__ == "__main__":
    main()
