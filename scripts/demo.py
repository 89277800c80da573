#!/usr/bin/env python3
"""`make demo`: migrate the embedded SQLite database, load the demo data, start the web
server, the task worker and the simulators of outside systems, print the URL and the
demo logins, and stop everything on Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def manage(*args: str) -> None:
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, check=True)


def main() -> int:
    port = int(os.environ.get("PORT", "8000"))
    host = "127.0.0.1"
    env = dict(os.environ)
    env.setdefault("SITE_URL", f"http://{host}:{port}")
    env.setdefault("DJANGO_SETTINGS_MODULE", "satupintu.config.settings")
    os.environ.update(env)
    (ROOT / "var").mkdir(exist_ok=True)
    print("==> migrate", flush=True)
    manage("migrate", "--no-input", "-v0")
    print("==> load demo data (idempotent)", flush=True)
    logins_file = Path(tempfile.mkstemp(suffix=".json")[1])
    manage("load_demo", "--logins-json", str(logins_file))
    logins = json.loads(logins_file.read_text())
    logins_file.unlink()
    procs: list[tuple[str, subprocess.Popen]] = []

    def start(name: str, cmd: list[str]) -> None:
        procs.append((name, subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True)))

    start("simulators", [PY, "-m", "simulators", "all"])
    start("worker", [PY, "manage.py", "db_worker", "--queue-name", "*", "--interval", "1"])
    # recovers notifications a killed worker left behind (docs/adr/0050)
    start("sweeper", [PY, "manage.py", "notifications_sweep", "--every", "30"])
    start("web", [PY, "-m", "gunicorn", "satupintu.config.wsgi:application", "--bind", f"{host}:{port}",
                  "--workers", "2", "--threads", "4", "--access-logfile", "-", "--log-level", "warning"])
    url = f"http://{host}:{port}/"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "healthz", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    print("\n" + "=" * 70)
    print(f"  SatuPintu demo is running: {url}")
    print(f"  API docs: {url}api/v1/docs    Back office: {url}backoffice/")
    print("  Demo logins:")
    for login in logins:
        print(f"    - {login['role']}: {login['login']} / {login['password']}  {login.get('note', '')}")
    print("  Messages sent (simulators, e.g. one-time codes): SMS http://127.0.0.1:8102/messages  "
          "WhatsApp http://127.0.0.1:8103/messages  e-mail http://127.0.0.1:8026/messages")
    print("  Press Ctrl-C to stop everything.")
    print("=" * 70 + "\n", flush=True)

    stopping = False

    def stop(*_args) -> None:
        nonlocal stopping
        if stopping:
            return
        stopping = True
        for _name, proc in reversed(procs):
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        deadline = time.time() + 10
        for _name, proc in procs:
            try:
                proc.wait(timeout=max(0.1, deadline - time.time()))
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)

    signal.signal(signal.SIGTERM, lambda *a: (stop(), sys.exit(0)))
    try:
        while True:
            for name, proc in procs:
                if proc.poll() is not None:
                    print(f"demo: {name} stopped (exit {proc.returncode}); stopping everything", flush=True)
                    stop()
                    return 1
            time.sleep(0.5)
    except KeyboardInterrupt:
        print("\nStopping…", flush=True)
        stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
