#!/usr/bin/env python3
"""Run every `bench/*_bench.py` in turn (each prints its own ratios). `make bench` runs this
under scripts/pgcluster.py, so DATABASE_URL points at a throwaway PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    failed = 0
    for script in sorted(HERE.glob("*_bench.py")):
        print(f"== {script.name}", flush=True)
        failed += subprocess.run([sys.executable, str(script)], check=False).returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
