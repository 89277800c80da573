"""Officer inbox at 10k and 1M applications, and the submit endpoint against /ping.

Run on a throwaway PostgreSQL (bounded: ~2-4 minutes on 2 cores):

    .venv/bin/python scripts/pgcluster.py run -- .venv/bin/python bench/inbox_bench.py [--big 1000000]

Rows are inserted with one INSERT ... SELECT FROM generate_series per batch (no Python
loop); each figure is the lower quartile of repeated in-process requests (Django test client,
full middleware, template rendering), so the ratios compare like with like.
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


def median_ms(fn, repeat: int) -> float:
    """The lower quartile of `repeat` runs: robust to the other processes sharing the 2 cores
    (the median is printed alongside in `samples`)."""
    fn()  # warm
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.quantiles(samples, n=4)[0] if len(samples) >= 4 else min(samples)


def setup():
    call_command("migrate", verbosity=0)
    from satupintu.catalogue.demo import load as load_catalogue

    load_catalogue(io.StringIO())
    from satupintu.catalogue.models import Mall
    from tests.fixtures.applications import build_personas

    return build_personas(Mall.objects.get(slug="kota-tangerang"))


def fill_to(target: int, p) -> None:
    """Insert applications until there are `target`, spread over every agency of the mall
    (~1/14 are the verifier's), due dates over two years, statuses mixed."""
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
        batch = 200_000
        while have < target:
            n = min(batch, target - have)
            cur.execute(
                """
                INSERT INTO applications_application
                  (code, created_at, updated_at, mall_id, agency_id, service_id, definition_id, submission_id,
                   applicant_id, submitted_by_id, status, reference, answers, submitted_at, due_at,
                   output_document_code, output_url)
                SELECT gen_random_uuid(), now(), now(), %(mall)s,
                       (%(agencies)s::bigint[])[1 + (g %% %(na)s)],
                       (%(svc)s::bigint[])[1 + (g %% %(ns)s)],
                       %(definition)s, %(submission)s, %(person)s, %(user)s,
                       (%(statuses)s::text[])[1 + (g %% 5)],
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
        cur.execute("ANALYZE applications_application")


def measure_inbox(p, repeat: int) -> dict:
    from satupintu.applications.models import Application
    from satupintu.applications.selectors import inbox

    client = Client()
    client.force_login(p.verifier)
    mine = Application.objects.filter(agency__memberships__user=p.verifier).exclude(
        status__in=["completed", "draft"]).order_by("due_at", "id")
    count = mine.count()

    def deep_cursor(qs) -> str:
        """90% into the queue, but with at least a full page after it."""
        n = qs.count()
        row = qs[max(0, min(n * 9 // 10, n - 30))]
        return f"{row.due_at.isoformat()}|{row.pk}"

    cursor = deep_cursor(mine)
    filtered_cursor = deep_cursor(mine.filter(status="in_processing"))
    assert len(inbox(p.verifier, cursor=cursor).rows) == 25

    def first():
        assert client.get("/petugas/permohonan/").status_code == 200

    def deep_page():
        assert client.get("/petugas/permohonan/", {"setelah": cursor}).status_code == 200

    def filtered():
        response = client.get("/petugas/permohonan/", {"status": "in_processing", "setelah": filtered_cursor})
        assert response.status_code == 200

    return {"rows_total": Application.objects.count(), "rows_in_scope": count,
            "first_ms": median_ms(first, repeat), "deep_ms": median_ms(deep_page, repeat),
            "filtered_deep_ms": median_ms(filtered, repeat)}


def measure_submit(p, n: int) -> dict:
    from satupintu.applications import integration, services
    from satupintu.catalogue.models import Service
    from tests.fixtures.applications import FakeVault

    vault = FakeVault()
    integration.vault_documents = vault.documents  # the bench measures applications, not the vault
    service = Service.objects.get(mall=p.mall, public_code="AK1")
    codes = []
    for _ in range(n + 1):
        s = services.submission_start(mall=p.mall, applicant=p.person, by=p.citizen, services=[service])
        services.submission_save_answers(submission=s, answers={"applicant_phone": "081234500001",
                                                                "education": "s1"}, by=p.citizen)
        for kind in ("ktp", "ijazah", "pas_foto"):
            services.submission_attach_document(submission=s, kind=kind, vault_code=vault.add(p.person, kind),
                                                by=p.citizen)
        codes.append(str(s.code))
    client = Client()
    client.force_login(p.citizen)
    it = iter(codes)

    def submit():
        code = next(it)
        r = client.post(f"/api/v1/applications/drafts/{code}/submit", HTTP_IDEMPOTENCY_KEY=f"bench-{code}")
        assert r.status_code == 201, r.content

    def ping():
        assert client.get("/ping").status_code == 200

    submit_ms = median_ms(submit, n)
    ping_ms = median_ms(ping, n)
    return {"submit_ms": submit_ms, "ping_ms": ping_ms, "submit_per_s": 1000 / submit_ms,
            "ping_per_s": 1000 / ping_ms, "ratio": (1000 / submit_ms) / (1000 / ping_ms)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--big", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    t0 = time.time()
    p = setup()
    fill_to(args.small, p)
    small = measure_inbox(p, args.repeat)
    print(f"inbox @ {small['rows_total']:,} rows ({small['rows_in_scope']:,} in the verifier's scope): "
          f"first page {small['first_ms']:.1f} ms, deep keyset page {small['deep_ms']:.1f} ms, "
          f"filtered deep {small['filtered_deep_ms']:.1f} ms", flush=True)
    fill_to(args.big, p)
    big = measure_inbox(p, args.repeat)
    print(f"inbox @ {big['rows_total']:,} rows ({big['rows_in_scope']:,} in scope): "
          f"first page {big['first_ms']:.1f} ms, deep keyset page {big['deep_ms']:.1f} ms, "
          f"filtered deep {big['filtered_deep_ms']:.1f} ms", flush=True)
    for key in ("first_ms", "deep_ms", "filtered_deep_ms"):
        print(f"ratio {key} {args.big:,}/{args.small:,}: {big[key] / small[key]:.2f}x (target <= 1.3x)")
    sub = measure_submit(p, 60)
    print(f"submit (API, Idempotency-Key, 1 part): {sub['submit_ms']:.1f} ms = {sub['submit_per_s']:.0f}/s; "
          f"/ping {sub['ping_ms']:.2f} ms = {sub['ping_per_s']:.0f}/s; submit rate = {sub['ratio']:.3f} x ping rate")
    print(f"total bench time {time.time() - t0:.0f} s")


if __name__ == "__main__":
    main()
