"""The SQLite demo path, end to end: `scripts/demo.py` migrates, loads the demo data,
starts web + worker + simulators, serves pages; a second start changes nothing; Ctrl-C
stops everything."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.smoke


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(var_dir: Path, port: int) -> tuple[subprocess.Popen, list[str]]:
    env = dict(os.environ, PORT=str(port), SATUPINTU_VAR_DIR=str(var_dir), DATABASE_URL="",
               SATUPINTU_ENV="development")
    env.pop("DATABASE_URL")
    proc = subprocess.Popen([sys.executable, "scripts/demo.py"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    lines: list[str] = []
    deadline = time.time() + 240
    while time.time() < deadline:
        line = proc.stdout.readline()
        if not line:
            if proc.poll() is not None:
                break
            continue
        lines.append(line)
        if "Press Ctrl-C" in line:
            return proc, lines
    proc.kill()
    raise AssertionError("demo did not start:\n" + "".join(lines[-40:]))


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=10) as r:
        return r.status, r.read().decode()


def _stop(proc: subprocess.Popen) -> int:
    os.killpg(proc.pid, signal.SIGINT)
    return proc.wait(timeout=30)


def test_demo_starts_serves_and_restarts_without_duplicates(tmp_path):
    port = _free_port()
    proc, lines = _start(tmp_path, port)
    try:
        text = "".join(lines)
        assert f"http://127.0.0.1:{port}/" in text
        assert "@demo.satupintu.id" in text  # demo logins are printed
        status, html = _get(f"http://127.0.0.1:{port}/")
        assert status == 200 and "SatuPintu" in html
        status, body = _get(f"http://127.0.0.1:{port}/api/v1/services?mall=kota-tangerang&limit=1")
        assert status == 200 and '"count": 35' in body.replace('"count":35', '"count": 35')
    finally:
        assert _stop(proc) == 0
    # second run: nothing duplicated, nothing lost
    proc, lines = _start(tmp_path, port)
    try:
        text = "".join(lines)
        assert "Tidak ada perubahan" in text
        status, body = _get(f"http://127.0.0.1:{port}/api/v1/services?mall=kota-tangerang&limit=1")
        assert '"count": 35' in body.replace('"count":35', '"count": 35')
    finally:
        assert _stop(proc) == 0
