"""Manager's console (/konsol/) on a year of a busy mall, against a week of the same mall.

    .venv/bin/python scripts/pgcluster.py run -- .venv/bin/python bench/console_bench.py [--rounds 7]

Two databases in the throwaway cluster, each migrated and given the demo data (`load_demo`),
then filled by SQL (INSERT ... SELECT FROM generate_series, no Python loop) for MPP Kota
Tangerang: `--tickets` tickets per working day (with their `queue.DailyStat` rollups for the
"agency" and "service" dimensions, computed in SQL the way `queue.stats.daily_rollup` does),
applications, survey responses and complaints spread over the period — one database with a
week, one with a year. The console (last 30 days, the whole year, CSV and XLSX export of the
year) is requested through the Django test client (all middleware, session, template) as a
mall manager and as an agency admin, alternating between the two databases round by round so
the machine's load hits both alike; `/ping` through the same client is the baseline.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
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
from django.test.utils import CaptureQueriesContext  # noqa: E402

BASE_NAME = connection.settings_dict["NAME"]
MALL = "kota-tangerang"
ADMIN_AGENCY = "DISDUKCAPIL"


def use_database(name: str) -> None:
    connection.close()
    connection.settings_dict["NAME"] = name


def create_database(name: str) -> None:
    use_database(BASE_NAME)
    with connection.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cur.execute(f'CREATE DATABASE "{name}"')
    use_database(name)


def setup() -> None:
    import io

    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=io.StringIO())


# ----------------------------------------------------------------------------- data

TICKETS_SQL = """
WITH days AS (
    SELECT d::date AS day, row_number() OVER (ORDER BY d) AS dn
    FROM generate_series(%(start)s::date, %(end)s::date, interval '1 day') AS d
    WHERE extract(isodow FROM d) < 6),
svc AS (SELECT id, agency_id, row_number() OVER (ORDER BY id) - 1 AS i FROM catalogue_service WHERE mall_id = %(mall)s),
grp AS (SELECT id, letter, row_number() OVER (ORDER BY id) - 1 AS i FROM queue_servicegroup WHERE mall_id = %(mall)s),
raw AS (
    SELECT days.day, g, svc.id AS service_id, svc.agency_id, grp.id AS group_id, grp.letter,
           (days.day + time '08:00' + make_interval(mins => (g * 17) %% 480)) AT TIME ZONE %(tz)s AS arrived,
           ((g * 13 + days.dn) %% 40)::int AS wait_min, (3 + (g * 7 + days.dn) %% 15)::int AS serve_min,
           days.day = %(today)s::date AS is_today, (g * 31 + days.dn) %% 100 AS r
    FROM days CROSS JOIN generate_series(1, %(per_day)s) AS g
    JOIN svc ON svc.i = (g * 7919 + days.dn) %% %(nsvc)s
    JOIN grp ON grp.i = g %% %(ngrp)s)
INSERT INTO queue_ticket (code, created_at, updated_at, mall_id, agency_id, group_id, service_id, plan_order,
    date, letter, seq, number, channel, priority, priority_reason, status, arrived_at, called_at, served_at,
    finished_at, call_count, outcome, related_type, related_code, contact_phone)
SELECT gen_random_uuid(), arrived, arrived, %(mall)s, agency_id, group_id, service_id, 0,
       day, letter, 20000 + g, letter || (20000 + g), CASE WHEN r < 40 THEN 'online' ELSE 'walkin' END,
       r >= 95, '',
       CASE WHEN is_today AND g > %(per_day)s * 0.7 THEN 'waiting' WHEN r < 5 THEN 'no_show' ELSE 'done' END,
       arrived,
       CASE WHEN is_today AND g > %(per_day)s * 0.7 THEN NULL ELSE arrived + make_interval(mins => wait_min) END,
       CASE WHEN (is_today AND g > %(per_day)s * 0.7) OR r < 5 THEN NULL
            ELSE arrived + make_interval(mins => wait_min) END,
       CASE WHEN (is_today AND g > %(per_day)s * 0.7) OR r < 5 THEN NULL
            ELSE arrived + make_interval(mins => wait_min + serve_min) END,
       1, '', '', '', ''
FROM raw
"""

# One row per day x dimension x key, as satupintu.queue.stats.daily_rollup computes them.
ROLLUP_SQL = """
INSERT INTO queue_dailystat (mall_id, date, dimension, key, label, agency_id, online_offered, online_used,
    walkin_offered, walkin_used, priority_offered, priority_used, tickets, served, no_shows,
    wait_median_s, wait_p90_s, service_median_s)
SELECT t.mall_id, t.date, %(dimension)s, {key}, left({label}, 300), t.agency_id, 0,
       count(*) FILTER (WHERE t.channel = 'online'), 0,
       count(*) FILTER (WHERE t.channel = 'walkin' AND NOT t.priority), 0, count(*) FILTER (WHERE t.priority),
       count(*), count(*) FILTER (WHERE t.status = 'done'), count(*) FILTER (WHERE t.status = 'no_show'),
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM t.called_at - t.arrived_at))),
       round(percentile_disc(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM t.called_at - t.arrived_at))),
       round(percentile_cont(0.5) WITHIN GROUP (
           ORDER BY extract(epoch FROM t.finished_at - coalesce(t.served_at, t.called_at))))
FROM queue_ticket t JOIN catalogue_service s ON s.id = t.service_id JOIN catalogue_agency a ON a.id = t.agency_id
WHERE t.mall_id = %(mall)s AND t.date BETWEEN %(start)s AND %(end)s
GROUP BY t.mall_id, t.date, t.agency_id, {key}, {label}
ON CONFLICT (mall_id, date, dimension, key) DO NOTHING
"""

APPLICATIONS_SQL = """
WITH svc AS (SELECT id, agency_id, row_number() OVER (ORDER BY id) - 1 AS i FROM catalogue_service
             WHERE mall_id = %(mall)s),
raw AS (
    SELECT g, svc.id AS service_id, svc.agency_id,
           %(end)s::timestamptz - make_interval(mins => ((g::bigint * 7919) %% (%(days)s * 1440))::int) AS submitted,
           (%(statuses)s::text[])[1 + (g * 37) %% %(nstatus)s] AS status, (g * 13) %% 30 AS took_days
    FROM generate_series(1, %(n)s) AS g JOIN svc ON svc.i = (g * 7919) %% %(nsvc)s)
INSERT INTO applications_application (code, created_at, updated_at, mall_id, agency_id, service_id, definition_id,
    submission_id, applicant_id, submitted_by_id, status, reference, answers, submitted_at, due_at, closed_at,
    output_document_code, output_url)
SELECT gen_random_uuid(), submitted, submitted, %(mall)s, agency_id, service_id, %(definition)s, %(submission)s,
       %(person)s, %(user)s, status, 'BENCH-' || g, '{}'::jsonb, submitted, submitted + interval '14 days',
       CASE WHEN status IN ('completed', 'handed_over', 'rejected', 'withdrawn')
            THEN least(submitted + make_interval(days => took_days), %(end)s::timestamptz) END, '', ''
FROM raw
"""

SURVEY_SQL = """
WITH svc AS (SELECT id, agency_id, row_number() OVER (ORDER BY id) - 1 AS i FROM catalogue_service
             WHERE mall_id = %(mall)s)
INSERT INTO survey_surveyresponse (code, created_at, updated_at, mall_id, agency_id, service_id, related_type,
    related_code, channel, age_band, sex, education, occupation, u1, u2, u3, u4, u5, u6, u7, u8, u9, suggestion)
SELECT gen_random_uuid(), ts, ts, %(mall)s, svc.agency_id, svc.id, 'bench', 'bench-' || g, 'web', '', '', '', '',
       2 + g %% 3, 2 + (g / 3) %% 3, 1 + (g * 7) %% 4, 3 + g %% 2, 2 + (g * 5) %% 3, 3, 2 + (g / 7) %% 3, 4,
       3 + g %% 2, ''
FROM (SELECT g, %(end)s::timestamptz - make_interval(mins => ((g::bigint * 6983) %% (%(days)s * 1440))::int) AS ts
      FROM generate_series(1, %(n)s) AS g) AS x
JOIN svc ON svc.i = (g * 7919) %% %(nsvc)s
"""

COMPLAINTS_SQL = """
WITH svc AS (SELECT id, agency_id, row_number() OVER (ORDER BY id) - 1 AS i FROM catalogue_service
             WHERE mall_id = %(mall)s)
INSERT INTO complaints_complaint (code, created_at, updated_at, mall_id, agency_id, service_id, related_type,
    related_code, related_reference, category, description, service_date, anonymous, confidential, contact,
    tracking_code, channel, status, acknowledge_due, answer_due, acknowledged_at, answered_at, answer,
    rating_comment, lapor_id, lapor_status, lapor_error)
SELECT gen_random_uuid(), ts, ts, %(mall)s, svc.agency_id, svc.id, '', '', '',
       (ARRAY['slow','illegal_fee','conduct','requirements','information','facilities','queue','other'])[1 + g %% 8],
       'Pengaduan uji beban.', ts::date, false, false, '', 'BN' || g, 'web', st,
       ts::date + 3, ts::date + 7,
       CASE WHEN st <> 'received' THEN ts + interval '1 day' END,
       CASE WHEN st IN ('answered', 'closed') THEN ts + make_interval(days => 1 + g %% 9) END,
       CASE WHEN st IN ('answered', 'closed') THEN 'Sudah ditindaklanjuti.' ELSE '' END, '', '', '', ''
FROM (SELECT g, %(end)s::timestamptz - make_interval(mins => ((g::bigint * 4093) %% (%(days)s * 1440))::int) AS ts,
             (ARRAY['closed', 'answered', 'closed', 'acknowledged', 'received', 'closed', 'rejected',
                    'answered'])[1 + (g / 8) %% 8] AS st
      FROM generate_series(1, %(n)s) AS g) AS x
JOIN svc ON svc.i = (g * 7919) %% %(nsvc)s
"""


def fill(days: int, args) -> dict:
    """A period of `days` calendar days ending today, scaled from the year's volumes."""
    from django.utils import timezone

    from satupintu.applications.models import Application
    from satupintu.catalogue.models import Mall
    from satupintu.reporting.scope import mall_today

    mall = Mall.objects.get(slug=MALL)
    today = mall_today(mall)
    start = today - timedelta(days=days - 1)
    share = days / 365
    template = Application.objects.exclude(status="draft").order_by("id").first() or Application.objects.first()
    assert template is not None, "load_demo made no application to copy definition/submission from"
    statuses = (["completed"] * 10 + ["handed_over"] * 3 + ["rejected", "withdrawn"]
                + ["submitted", "in_verification", "in_processing", "awaiting_approval", "sent_back"])
    common = {"mall": mall.pk, "start": start, "end": today, "today": today, "tz": mall.timezone}
    counts = {}
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM catalogue_service WHERE mall_id = %s", [mall.pk])
        nsvc = cur.fetchone()[0]
        cur.execute("SELECT count(*) FROM queue_servicegroup WHERE mall_id = %s", [mall.pk])
        ngrp = cur.fetchone()[0]
        assert ngrp, "load_demo made no queue service group"
        cur.execute(TICKETS_SQL, {**common, "per_day": args.tickets, "nsvc": nsvc, "ngrp": ngrp})
        counts["tickets"] = cur.rowcount
        cur.execute("DELETE FROM queue_dailystat WHERE mall_id = %s AND date BETWEEN %s AND %s",
                    [mall.pk, start, today])
        for dimension, key, label in (("agency", "a.slug", "a.name"), ("service", "s.public_code", "s.name")):
            cur.execute(ROLLUP_SQL.format(key=key, label=label), {**common, "dimension": dimension})
            counts[f"dailystat_{dimension}"] = cur.rowcount
        end_ts = timezone.now()
        cur.execute(APPLICATIONS_SQL, {
            "mall": mall.pk, "end": end_ts, "days": days, "n": max(1, round(args.applications * share)),
            "statuses": statuses, "nstatus": len(statuses), "nsvc": nsvc, "definition": template.definition_id,
            "submission": template.submission_id, "person": template.applicant_id, "user": template.submitted_by_id})
        counts["applications"] = cur.rowcount
        cur.execute(SURVEY_SQL, {"mall": mall.pk, "end": end_ts, "days": days, "nsvc": nsvc,
                                 "n": max(1, round(args.surveys * share))})
        counts["survey_responses"] = cur.rowcount
        cur.execute(COMPLAINTS_SQL, {"mall": mall.pk, "end": end_ts, "days": days, "nsvc": nsvc,
                                     "n": max(1, round(args.complaints * share))})
        counts["complaints"] = cur.rowcount
    connection.cursor().execute("ANALYZE")
    return counts


# ----------------------------------------------------------------------------- users

def officer_client(email: str, role: str, agency_slug: str | None) -> Client:
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from satupintu.catalogue.models import Agency, Mall
    from satupintu.identity.models import Membership, User

    user = User.objects.filter(email=email).first() or User.objects.create_user(
        email=email, password="Bench-Console-2026", full_name=email.split("@")[0], kind=User.Kind.OFFICER)
    agency = Agency.objects.get(slug=agency_slug) if agency_slug else None
    Membership.objects.get_or_create(user=user, mall=Mall.objects.get(slug=MALL), agency=agency, role=role)
    device = TOTPDevice.objects.filter(user=user).first() or TOTPDevice.objects.create(
        user=user, name="bench", confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session  # the officer's second factor, as tests/fixtures/identity_officer.py does
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


# ----------------------------------------------------------------------------- measuring

class Console:
    def __init__(self, db: str, label: str, counts: dict):
        from satupintu.catalogue.models import Mall
        from satupintu.reporting.scope import mall_today

        self.db, self.label, self.counts = db, label, counts
        today = mall_today(Mall.objects.get(slug=MALL))
        year = {"dari": str(today - timedelta(days=365)), "sampai": str(today)}
        self.pages = {
            "30 days": {},
            "year": year,
            "year CSV": {**year, "format": "csv"},
            "year XLSX": {**year, "format": "xlsx"},
        }
        self.clients = {"manager": officer_client("bench-pengelola@example.id", "mall_manager", None),
                        "agency admin": officer_client("bench-admin@example.id", "agency_admin", ADMIN_AGENCY)}
        self.samples: dict[tuple[str, str], list[float]] = {}
        self.queries: dict[tuple[str, str], int] = {}
        self.ping: list[float] = []
        for who, client in self.clients.items():
            for page, params in self.pages.items():
                with CaptureQueriesContext(connection) as ctx:
                    response = client.get("/konsol/", params)
                assert response.status_code == 200, (who, page, response.status_code)
                self.queries[(who, page)] = len(ctx.captured_queries)

    def round(self) -> None:
        use_database(self.db)
        for who, client in self.clients.items():
            client.get("/ping")  # warm the connection after the switch
            for page, params in self.pages.items():
                t0 = time.perf_counter()
                response = client.get("/konsol/", params)
                self.samples.setdefault((who, page), []).append((time.perf_counter() - t0) * 1000)
                assert response.status_code == 200
                t0 = time.perf_counter()
                client.get("/ping")
                self.ping.append((time.perf_counter() - t0) * 1000)

    def median(self, key) -> float:
        return statistics.median(self.samples[key])

    def p95(self, key) -> float:
        values = sorted(self.samples[key])
        return values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]


def section_profile(db: str) -> None:
    """Time of each section function alone for the manager's whole year (where the time goes)."""
    from datetime import timedelta as td

    from satupintu.catalogue.models import Mall
    from satupintu.reporting import metrics
    from satupintu.reporting.scope import Scope, mall_today

    use_database(db)
    mall = Mall.objects.get(slug=MALL)
    today = mall_today(mall)
    scope = Scope(mall=mall, agency_ids=None, date_from=today - td(days=365), date_to=today)
    parts = []
    for fn in metrics.SECTIONS:
        t0 = time.perf_counter()
        with CaptureQueriesContext(connection) as ctx:
            fn(scope)
        parts.append(f"{fn.__name__} {(time.perf_counter() - t0) * 1000:.0f} ms/{len(ctx.captured_queries)} q")
    print("  sections, manager, year: " + "; ".join(parts), flush=True)


def explain(db: str, days: int) -> None:
    """EXPLAIN ANALYZE of every query of the manager's console over the last `days` days."""
    from datetime import timedelta as td

    from satupintu.catalogue.models import Mall
    from satupintu.reporting import metrics
    from satupintu.reporting.scope import Scope, mall_today

    use_database(db)
    mall = Mall.objects.get(slug=MALL)
    today = mall_today(mall)
    scope = Scope(mall=mall, agency_ids=None, date_from=today - td(days=days - 1), date_to=today)
    for fn in metrics.SECTIONS:
        with CaptureQueriesContext(connection) as ctx:
            fn(scope)
        for q in ctx.captured_queries:
            with connection.cursor() as cur:
                cur.execute("EXPLAIN (ANALYZE, COSTS OFF) " + q["sql"])
                plan = [r[0] for r in cur.fetchall()]
            top = [line.strip() for line in plan if "Scan" in line][:2]
            print(f"  {fn.__name__} {plan[-1].strip()}: {q['sql'][:90]}... | {' | '.join(top)}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--tickets", type=int, default=1500, help="tickets per working day")
    parser.add_argument("--applications", type=int, default=100_000, help="applications per year")
    parser.add_argument("--surveys", type=int, default=20_000, help="survey responses per year")
    parser.add_argument("--complaints", type=int, default=5_000, help="complaints per year")
    parser.add_argument("--keep", action="store_true", help="keep the two databases")
    parser.add_argument("--explain", action="store_true", help="print the plans of the year's 30-day queries")
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.1f} (2 cores shared)", flush=True)
    consoles = []
    for label, days in (("week", 7), ("year", 365)):
        db = f"console_bench_{label}"
        t0 = time.time()
        create_database(db)
        setup()
        t1 = time.time()
        counts = fill(days, args)
        print(f"{label}: migrate+demo {t1 - t0:.0f} s, generated in {time.time() - t1:.0f} s: "
              + ", ".join(f"{k} {v:,}" for k, v in counts.items()), flush=True)
        consoles.append(Console(db, label, counts))
    week, year = consoles
    for console in consoles:
        section_profile(console.db)
    if args.explain:
        explain(year.db, 30)
    for _ in range(args.rounds):
        week.round()
        year.round()
    for console in consoles:
        ping = statistics.median(console.ping)
        print(f"\n{console.label} of data ({console.counts['tickets']:,} tickets, "
              f"{console.counts['applications']:,} applications): /ping median {ping:.2f} ms")
        for key in console.samples:
            print(f"  {key[0]:>12} {key[1]:<10} median {console.median(key):7.1f} ms "
                  f"(x{console.median(key) / ping:,.0f} /ping)  p95 {console.p95(key):7.1f} ms  "
                  f"{console.queries[key]} SQL queries", flush=True)
    print("\nyear / week (medians; the same pages, the same round):")
    for key in year.samples:
        print(f"  {key[0]:>12} {key[1]:<10} {year.median(key) / week.median(key):.2f}x  "
              f"queries {year.queries[key]} vs {week.queries[key]}")
    print(f"load average at end: {os.getloadavg()[0]:.1f}")
    if not args.keep:
        use_database(BASE_NAME)
        with connection.cursor() as cur:
            for console in consoles:
                cur.execute(f'DROP DATABASE IF EXISTS "{console.db}"')


if __name__ == "__main__":
    main()
