#!/usr/bin/env python3
"""`make bench`: run every benchmark script in turn; each prints its own lines.

Add a script by appending its path (relative to bench/) to SCRIPTS. Each runs in its own
process with the environment of `make bench` (DATABASE_URL of the throwaway PostgreSQL
started by scripts/pgcluster.py). See bench/README.md for recorded figures.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = [
    "http_bench.py",
    "finder_bench.py",
]


def main() -> int:
    failed = []
    for script in SCRIPTS:
        path = HERE / script
        if not path.exists():
            print(f"bench: {script} missing, skipped", flush=True)
            continue
        print(f"\n=== {script}", flush=True)
        started = time.monotonic()
        rc = subprocess.call([sys.executable, str(path)], cwd=HERE.parent)
        print(f"=== {script}: exit {rc} in {time.monotonic() - started:.0f} s", flush=True)
        if rc:
            failed.append(script)
    if failed:
        print(f"bench: failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
