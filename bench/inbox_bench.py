"""Officer inbox at 10k and 1M applications, and the submit endpoint against /ping.

    .venv/bin/python scripts/pgcluster.py run -- .venv/bin/python bench/inbox_bench.py [--big 1000000] [--explain]

Two databases in the throwaway cluster, one with 10k and one with 1M applications (rows
inserted by INSERT ... SELECT FROM generate_series, no Python loop; then VACUUM ANALYZE).
The requests alternate between the two databases round by round, so the load of other
processes on the shared cores hits both sizes alike; each figure is the median of the
rounds. Requests go through the Django test client (all middleware, session, template).
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satupintu.config.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("AXES_ENABLED", "false")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

BASE_NAME = connection.settings_dict["NAME"]


def use_database(name: str) -> None:
    connection.close()
    connection.settings_dict["NAME"] = name


def create_database(name: str) -> None:
    use_database(BASE_NAME)
    with connection.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cur.execute(f'CREATE DATABASE "{name}"')
    use_database(name)


def setup():
    call_command("migrate", verbosity=0)
    from satupintu.catalogue.demo import load as load_catalogue
    from satupintu.catalogue.models import Mall
    from tests.fixtures.applications import build_personas

    load_catalogue(io.StringIO())
    return build_personas(Mall.objects.get(slug="kota-tangerang"))


def fill_to(target: int, p) -> None:
    """Applications spread over every agency, due dates over two years, statuses mixed
    (independently of the agency, so every agency has open work)."""
    from satupintu.applications import services
    from satupintu.applications.models import Application, Bundle

    if not Application.objects.exists():
        bundle = Bundle.objects.get(mall=p.mall, slug="kelahiran")
        services.submission_start(mall=p.mall, applicant=p.person, by=p.citizen, bundle=bundle)
    have = Application.objects.count()
    template = Application.objects.order_by("id").first()
    with connection.cursor() as cur:
        cur.execute("SELECT id FROM catalogue_agency ORDER BY id")
        agencies = [r[0] for r in cur.fetchall()]
        cur.execute("SELECT id FROM catalogue_service WHERE mall_id = %s ORDER BY id", [p.mall.pk])
        svc = [r[0] for r in cur.fetchall()]
        statuses = ["submitted", "in_verification", "in_processing", "awaiting_approval", "completed"]
        while have < target:
            n = min(250_000, target - have)
            cur.execute(
                """
                INSERT INTO applications_application
                  (code, created_at, updated_at, mall_id, agency_id, service_id, definition_id, submission_id,
                   applicant_id, submitted_by_id, status, reference, answers, submitted_at, due_at,
                   output_document_code, output_url)
                SELECT gen_random_uuid(), now(), now(), %(mall)s,
                       (%(agencies)s::bigint[])[1 + (g %% %(na)s)],
                       (%(svc)s::bigint[])[1 + ((g / 7) %% %(ns)s)],
                       %(definition)s, %(submission)s, %(person)s, %(user)s,
                       (%(statuses)s::text[])[1 + ((g / 3) %% 5)],
                       'B-' || g, '{}'::jsonb, now(),
                       now() + make_interval(mins => ((g::bigint * 7919) %% 1051200)::int), '', ''
                FROM generate_series(%(start)s, %(end)s) AS g
                """,
                {"mall": p.mall.pk, "agencies": agencies, "na": len(agencies), "svc": svc, "ns": len(svc),
                 "definition": template.definition_id, "submission": template.submission_id,
                 "person": p.person.pk, "user": p.citizen.pk, "statuses": statuses,
                 "start": have + 1, "end": have + n},
            )
            have += n
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE applications_application")


class Inbox:
    """One database's officer inbox: a logged-in client and its cursors."""

    def __init__(self, db: str, p):
        from satupintu.applications.models import Application

        self.db, self.p = db, p
        self.client = Client()
        self.client.force_login(p.verifier)
        mine = Application.objects.filter(agency__memberships__user=p.verifier).exclude(
            status__in=["completed", "draft"]).order_by("due_at", "id")
        self.rows_total = Application.objects.count()
        self.rows_in_scope = mine.count()
        self.cursor = self._deep(mine)
        self.filtered_cursor = self._deep(mine.filter(status="in_processing"))
        self.samples: dict[str, list[float]] = {"first": [], "deep": [], "filtered_deep": []}

    @staticmethod
    def _deep(qs) -> str:
        """90% into the queue, with at least a full page after it."""
        n = qs.count()
        row = qs[max(0, min(n * 9 // 10, n - 30))]
        return f"{row.due_at.isoformat()}|{row.pk}"

    def requests(self):
        return {"first": {}, "deep": {"setelah": self.cursor},
                "filtered_deep": {"status": "in_processing", "setelah": self.filtered_cursor}}

    def round(self) -> None:
        use_database(self.db)
        for name, params in self.requests().items():
            self.client.get("/petugas/permohonan/", params)  # warm the connection after the switch
            t0 = time.perf_counter()
            response = self.client.get("/petugas/permohonan/", params)
            self.samples[name].append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200 and response.content.count(b"<tr>") > 1, name

    def median(self, name: str) -> float:
        return statistics.median(self.samples[name])


def explain(inbox: Inbox) -> None:
    from django.test.utils import CaptureQueriesContext

    from satupintu.applications.selectors import inbox as inbox_query

    use_database(inbox.db)
    for name, params in inbox.requests().items():
        with CaptureQueriesContext(connection) as ctx:
            inbox_query(inbox.p.verifier, status=params.get("status"), cursor=params.get("setelah"))
        sql = [q["sql"] for q in ctx.captured_queries if "FROM \"applications_application\"" in q["sql"]][-1]
        with connection.cursor() as cur:
            cur.execute("EXPLAIN (ANALYZE, COSTS OFF) " + sql)
            plan = [r[0] for r in cur.fetchall()]
        print(f"  plan {name} @ {inbox.rows_total:,}: " + " | ".join(
            line.strip() for line in plan if "Index" in line or "Execution" in line))


def measure_submit(p, n: int) -> dict:
    from satupintu.applications import integration, services
    from satupintu.catalogue.models import Service
    from tests.fixtures.applications import FakeVault

    vault = FakeVault()
    integration.vault_documents = vault.documents  # the bench measures applications, not the vault
    service = Service.objects.get(mall=p.mall, public_code="AK1")
    codes = []
    for _ in range(n):
        s = services.submission_start(mall=p.mall, applicant=p.person, by=p.citizen, services=[service])
        services.submission_save_answers(submission=s, answers={"applicant_phone": "081234500001",
                                                                "education": "s1"}, by=p.citizen)
        for kind in ("ktp_scan", "ijazah", "pas_foto"):
            services.submission_attach_document(submission=s, kind=kind, vault_code=vault.add(p.person, kind),
                                                by=p.citizen)
        codes.append(str(s.code))
    client = Client()
    client.force_login(p.citizen)
    client.get("/ping")
    submit_ms, ping_ms = [], []
    for code in codes:  # alternate, so both see the same machine load
        t0 = time.perf_counter()
        r = client.post(f"/api/v1/applications/drafts/{code}/submit", HTTP_IDEMPOTENCY_KEY=f"bench-{code}")
        submit_ms.append((time.perf_counter() - t0) * 1000)
        assert r.status_code == 201, r.content
        t0 = time.perf_counter()
        assert client.get("/ping").status_code == 200
        ping_ms.append((time.perf_counter() - t0) * 1000)
    s, q = statistics.median(submit_ms), statistics.median(ping_ms)
    return {"submit_ms": s, "ping_ms": q, "ratio": q / s}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--big", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--explain", action="store_true", help="print the inbox query plans")
    args = parser.parse_args()
    t0 = time.time()
    inboxes = []
    for size in (args.small, args.big):
        db = f"inbox_bench_{size}"
        create_database(db)
        p = setup()
        fill_to(size, p)
        inboxes.append(Inbox(db, p))
        print(f"filled {size:,} applications in {time.time() - t0:.0f} s", flush=True)
    small, big = inboxes
    if args.explain:
        explain(small)
        explain(big)
    for _ in range(args.rounds):
        small.round()
        big.round()
    for inbox in inboxes:
        print(f"inbox @ {inbox.rows_total:,} rows ({inbox.rows_in_scope:,} open in the verifier's agency): "
              f"first page {inbox.median('first'):.1f} ms, deep keyset page {inbox.median('deep'):.1f} ms, "
              f"filtered deep {inbox.median('filtered_deep'):.1f} ms")
    for name in ("first", "deep", "filtered_deep"):
        print(f"ratio {name} {big.rows_total:,} / {small.rows_total:,}: {big.median(name) / small.median(name):.2f}x "
              f"(target <= 1.3x)")
    use_database(small.db)
    sub = measure_submit(small.p, 60)
    print(f"submit (API, Idempotency-Key, 1 part): {sub['submit_ms']:.1f} ms; /ping {sub['ping_ms']:.2f} ms; "
          f"submit rate = {sub['ratio']:.3f} x /ping rate")
    print(f"total bench time {time.time() - t0:.0f} s")
    for inbox in inboxes:
        use_database(BASE_NAME)
        with connection.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{inbox.db}"')


if __name__ == "__main__":
    main()
