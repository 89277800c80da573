"""Service finder benchmark: accuracy on the labelled set and in-process latency.

    DJANGO_SETTINGS_MODULE=satupintu.config.settings .venv/bin/python bench/finder_bench.py [--rounds N] [--show-misses]

Runs on the database given by DATABASE_URL; without it, on a throwaway SQLite file (migrated
and loaded with the demo catalogue). Prints:
* top-1 and top-3 accuracy of `find()` over bench/finder_queries.yaml;
* latency per query (median, p95) over the real catalogue — `find()` end to end (index
  search plus the one query that loads the hits) and the index search alone;
* the same search over >= 2,000 services (the catalogue cloned in memory into fake malls),
  all malls and one mall;
* each latency also as a ratio to a trivial baseline measured in the same run
  (`str.lower` of the query and a dict lookup).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
QUERIES = ROOT / "bench" / "finder_queries.yaml"


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satupintu.config.settings")
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='finder-bench-')}/bench.sqlite3"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from satupintu.catalogue.models import Service

    if not Service.objects.filter(mall__slug="kota-tangerang").exists():
        import io

        from satupintu.catalogue.demo import load

        load(io.StringIO())


def load_queries() -> tuple[str, list[dict]]:
    import yaml

    data = yaml.safe_load(QUERIES.read_text(encoding="utf-8"))
    return data["mall"], data["queries"]


def accuracy(show_misses: bool = False) -> tuple[float, float, int]:
    from satupintu.catalogue.finder import find

    mall, queries = load_queries()
    top1 = top3 = 0
    for item in queries:
        codes = [h.service.public_code for h in find(item["query"], mall=item.get("mall", mall), limit=3)]
        expected = set(item["expected"])
        top1 += bool(codes[:1] and codes[0] in expected)
        hit3 = bool(expected & set(codes))
        top3 += hit3
        if show_misses and not (codes[:1] and codes[0] in expected):
            print(f"  {'MISS' if not hit3 else 'top3'}: {item['query']!r} → {codes} (want {sorted(expected)})")
    return top1 / len(queries), top3 / len(queries), len(queries)


def _time_each(fn, queries: list[str], rounds: int) -> list[float]:
    samples = []
    for _ in range(rounds):
        for q in queries:
            t0 = time.perf_counter()
            fn(q)
            samples.append(time.perf_counter() - t0)
    return samples


def _stats(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--target", type=int, default=2000, help="number of services for the scale run")
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    _setup()
    from django.db import connection

    from satupintu.catalogue.finder import Doc, Index, current_index, find, service_doc
    from satupintu.catalogue.models import Service

    mall, items = load_queries()
    queries = [item["query"] for item in items]
    top1, top3, n = accuracy(args.show_misses)
    print(f"finder accuracy on {n} labelled queries ({connection.vendor}): top-1 {top1:.1%}, top-3 {top3:.1%}")

    # Ablation: the same set on an index built without the per-service aliases of
    # data/translations (only names, descriptions, stemming, the general synonym list, typos).
    rows = list(Service.objects.filter(is_active=True).select_related("mall", "agency"))
    code_of = {s.id: s.public_code for s in rows}
    bare = Index.build(Doc(d.id, d.mall, {**d.fields, "aliases": ""}) for d in map(service_doc, rows))
    b1 = b3 = 0
    for item in items:
        got = [code_of[i] for i, _ in bare.search(item["query"], mall=item.get("mall", mall), limit=3)]
        b1 += bool(got[:1] and got[0] in item["expected"])
        b3 += bool(set(got) & set(item["expected"]))
    print(f"  without per-service aliases: top-1 {b1 / n:.1%}, top-3 {b3 / n:.1%}")

    lookup = {q: i for i, q in enumerate(queries)}
    baseline = _time_each(lambda q: lookup.get(q.lower()), queries, args.rounds)
    base_med, base_p95 = _stats(baseline)
    print(f"baseline (str.lower + dict lookup): median {base_med * 1e6:.2f} µs, p95 {base_p95 * 1e6:.2f} µs")

    def report(label: str, samples: list[float]) -> None:
        med, p95 = _stats(samples)
        print(f"{label}: median {med * 1e3:.3f} ms, p95 {p95 * 1e3:.3f} ms "
              f"(×{med / base_med:,.0f} / ×{p95 / base_p95:,.0f} baseline)")

    index = current_index()
    real = len(index.ids)
    find(queries[0], mall=mall)  # warm the stem cache the way a running process is warm
    report(f"find() end to end, real catalogue ({real} services, mall {mall})",
           _time_each(lambda q: find(q, mall=mall, limit=10), queries, args.rounds))
    report(f"index search, real catalogue ({real} services, all malls)",
           _time_each(lambda q: index.search(q, limit=10), queries, args.rounds))

    docs = [service_doc(s) for s in Service.objects.filter(is_active=True).select_related("mall", "agency")]
    clones: list[Doc] = []
    copy = 0
    while len(clones) < args.target:
        clones.extend(Doc(id=len(clones) + i, mall=f"fake-{copy:03d}", fields=d.fields) for i, d in enumerate(docs))
        copy += 1
    t0 = time.perf_counter()
    big = Index.build(clones)
    build = time.perf_counter() - t0
    print(f"index build over {len(clones)} services in {copy} fake malls: {build * 1e3:.0f} ms")
    big.search(queries[0])
    report(f"index search, {len(clones)} services, all malls",
           _time_each(lambda q: big.search(q, limit=10), queries, args.rounds))
    report(f"index search, {len(clones)} services, one mall",
           _time_each(lambda q: big.search(q, mall="fake-007", limit=10), queries, args.rounds))


if __name__ == "__main__":
    main()
