#!/usr/bin/env python3
"""HTTP benchmark: requests per second of the public pages and the API, each as a ratio
to the trivial endpoint `/ping` on the same server in the same run, plus SQL query counts.

    make bench                       # the whole bench suite (PostgreSQL started for the run)
    .venv/bin/python scripts/pgcluster.py run -- .venv/bin/python bench/http_bench.py

Steps: migrate the database given by DATABASE_URL and load the catalogue demo data; count
queries in-process (django.test.utils.CaptureQueriesContext); start the app under gunicorn
(and granian when installed) on a free loopback port, production-like (DEBUG off); drive
it with a load generator in another process (Debian's `wrk` when present, otherwise a
small Python keep-alive client in several processes), bounded by BENCH_SECONDS per URL.

Targets (issue 2): cached public page >= 0.7 x /ping; uncached service page <= 3 queries.
Each URL is measured BENCH_ROUNDS times alternating with /ping; the ratio printed is the
median of the per-round ratios.
Environment: BENCH_SECONDS (default 2, whole seconds with wrk), BENCH_ROUNDS (7), BENCH_CONNECTIONS (8),
BENCH_WORKERS (2), BENCH_SERVERS (gunicorn,granian).
"""

from __future__ import annotations

import http.client
import multiprocessing
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PY = sys.executable
SECONDS = float(os.environ.get("BENCH_SECONDS", "2"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "7"))
SERVERS = [s for s in os.environ.get("BENCH_SERVERS", "gunicorn,granian").split(",") if s]

SERVICE = "/mal/kota-tangerang/layanan/KTPEL_HILANG_RUSAK/"
TARGETS = [
    ("service page, cached", SERVICE, True),
    ("service page, uncached", SERVICE, False),
    ("mall page, cached", "/mal/kota-tangerang/", True),
    ("catalogue list /api/v1/services", "/api/v1/services", True),
    ("finder /api/v1/services/search?q=ktp+hilang", "/api/v1/services/search?q=ktp+hilang", True),
]
HEADERS = {"Accept-Encoding": "gzip", "Host": "127.0.0.1"}


def say(text: str) -> None:
    print(f"http: {text}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def base_env(**extra: str) -> dict:
    env = dict(os.environ)
    env.update({"DJANGO_SETTINGS_MODULE": "satupintu.config.settings", "DEBUG": "0",
                "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver", "LOG_LEVEL": "WARNING"})
    env.update(extra)
    return env


def prepare_database() -> None:
    if not os.environ.get("DATABASE_URL"):
        sys.exit("http_bench: DATABASE_URL is not set; run it under scripts/pgcluster.py (make bench)")
    subprocess.run([PY, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=base_env(), check=True)
    subprocess.run([PY, "manage.py", "shell", "-c",
                    "import io; from satupintu.catalogue.demo import load; load(io.StringIO())"],
                   cwd=ROOT, env=base_env(), check=True)


def query_counts() -> dict[str, int]:
    os.environ.update(base_env())
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from satupintu.catalogue.cache import forget_version

    client = Client()
    counts = {}
    for label, url, cached in TARGETS:
        client.get(url)  # warm: imports, finder index, cache
        if not cached:
            cache.clear()
            forget_version()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        counts[label] = len(ctx.captured_queries)
    return counts


def start_server(kind: str, port: int, env: dict) -> subprocess.Popen:
    app = "satupintu.config.wsgi:application"
    if kind == "gunicorn":
        cmd = [PY, "-m", "gunicorn", app, "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS),
               "--threads", "4", "--log-level", "warning", "--keep-alive", "5"]
    else:
        cmd = [str(Path(PY).parent / "granian"), "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port),
               "--workers", str(WORKERS), "--blocking-threads", "4", "--no-access-log", "--log-level", "warning",
               app]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{kind} exited: {proc.stderr.read().decode()[-2000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/ping")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.2)
    stop_server(proc)
    raise RuntimeError(f"{kind} did not answer on port {port}")


def stop_server(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


# ------------------------------------------------------------------ load generators

def _py_worker(port: int, path: str, seconds: float, out) -> None:
    done = errors = 0
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            conn.request("GET", path, headers=HEADERS)
            response = conn.getresponse()
            response.read()
            if response.status == 200:
                done += 1
            else:
                errors += 1
            if response.will_close:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        except OSError:
            errors += 1
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    out.put((done, errors))


def python_load(port: int, path: str, seconds: float) -> tuple[float, int]:
    queue: multiprocessing.Queue = multiprocessing.Queue()
    procs = [multiprocessing.Process(target=_py_worker, args=(port, path, seconds, queue))
             for _ in range(CONNECTIONS)]
    for p in procs:
        p.start()
    results = [queue.get(timeout=seconds + 30) for _ in procs]
    for p in procs:
        p.join(timeout=10)
    return sum(r[0] for r in results) / seconds, sum(r[1] for r in results)


def wrk_load(port: int, path: str, seconds: float) -> tuple[float, int]:
    cmd = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{max(1, round(seconds))}s", "--timeout", "10s"]
    for name, value in HEADERS.items():
        cmd += ["-H", f"{name}: {value}"]
    out = subprocess.run(cmd + [f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True,
                         timeout=seconds + 60).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*?(\d+).*?(\d+).*?(\d+).*?(\d+)", out)
    n_errors = int(bad.group(1)) if bad else 0
    if errors:
        n_errors += sum(int(g) for g in errors.groups())
    return rate, n_errors


def measure(kind: str, load) -> dict[str, tuple[float, int]]:
    """Rates per URL; each URL is measured ROUNDS times, alternating with /ping, and its
    ratio is the median of the per-round ratios (the machine is shared, so the load
    drifts; alternating keeps each ratio's two numbers close in time)."""
    results: dict[str, tuple[float, int]] = {}
    for cached in (True, False):
        port = free_port()
        env = base_env(PAGE_CACHE_SECONDS="600" if cached else "0")
        proc = start_server(kind, port, env)
        try:
            for label, path, wants_cache in TARGETS:
                if label.startswith("/ping") or wants_cache != cached:
                    continue
                load(port, path, 1.0)  # warm every worker (imports, finder index, page cache)
                load(port, "/ping", 1.0)
                pings, rates, ratios, errors = [], [], [], 0
                for _round in range(ROUNDS):
                    ping, e1 = load(port, "/ping", SECONDS)
                    rate, e2 = load(port, path, SECONDS)
                    pings.append(ping)
                    rates.append(rate)
                    ratios.append(rate / ping if ping else 0.0)
                    errors += e1 + e2
                results[label] = (statistics.median(rates), statistics.median(pings),
                                  statistics.median(ratios), errors)
        finally:
            stop_server(proc)
    return results


def main() -> int:
    say(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {os.cpu_count()} CPU(s) shared with whatever else "
        f"runs (load average {os.getloadavg()[0]:.1f}); server and load generator on the same machine")
    prepare_database()
    counts = query_counts()
    load = wrk_load if shutil.which("wrk") else python_load
    loadgen = "wrk" if shutil.which("wrk") else "python http.client"
    servers = [s for s in SERVERS if s != "granian" or (Path(PY).parent / "granian").exists()]
    ok = True
    summary: dict[str, float] = {}
    for kind in servers:
        say(f"--- {kind}: {WORKERS} workers x 4 threads; load: {loadgen}, {CONNECTIONS} connections, "
            f"{ROUNDS} rounds of {SECONDS:g} s per URL alternating with /ping, Accept-Encoding: gzip")
        results = measure(kind, load)
        for label, (rate, ping, ratio, errors) in results.items():
            extra = f"  errors={errors}" if errors else ""
            target = "  (target >= 0.70)" if label == "service page, cached" else ""
            say(f"{label:44s} {rate:7.0f} req/s  /ping {ping:6.0f} req/s  ratio {ratio:5.2f}{target}{extra}")
        summary[kind] = results["service page, cached"][0]
        ok = ok and results["service page, cached"][2] >= 0.7
    say("--- SQL queries per request (in-process, CaptureQueriesContext)")
    for label, n in counts.items():
        target = "  (target <= 3)" if label == "service page, uncached" else ""
        say(f"{label:48s} {n:3d}{target}")
    ok = ok and counts["service page, uncached"] <= 3
    if len(summary) > 1:
        best = max(summary, key=summary.get)
        say(f"faster on the cached service page: {best} ({', '.join(f'{k} {v:.0f}/s' for k, v in summary.items())})")
    say("targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
