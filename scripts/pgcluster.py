#!/usr/bin/env python3
"""Start a throwaway PostgreSQL cluster on a free loopback port, run a command with
DATABASE_URL pointing at it, then stop the cluster and delete its data directory.

    python scripts/pgcluster.py run -- pytest -q

PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user
(created by Debian's package). Settings favour speed over durability: it is a test
database that lives for one run.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

DB_USER = "satupintu"
DB_NAME = "satupintu"


def pg_bin(name: str) -> str:
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]))
    if candidates:
        return candidates[-1]
    found = shutil.which(name)
    if not found:
        sys.exit(f"pgcluster: {name} not found; install Debian's postgresql package (make system-deps)")
    return found


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def as_server_user(cmd: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return cmd
    return ["runuser", "-u", "postgres", "--", *cmd]


def start() -> tuple[str, int]:
    datadir = tempfile.mkdtemp(prefix="satupintu-pg-")
    if os.geteuid() == 0:
        pw = pwd.getpwnam("postgres")
        os.chown(datadir, pw.pw_uid, pw.pw_gid)
    os.chmod(datadir, 0o700)
    pgdata = os.path.join(datadir, "data")
    subprocess.run(as_server_user([pg_bin("initdb"), "-D", pgdata, "-U", DB_USER, "--auth=trust",
                                   "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"]),
                   check=True, stdout=subprocess.DEVNULL)
    port = free_port()
    options = (f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={datadir} "
               "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 "
               "-c shared_buffers=256MB -c log_min_messages=warning")
    subprocess.run(as_server_user([pg_bin("pg_ctl"), "-D", pgdata, "-o", options, "-l",
                                   os.path.join(datadir, "server.log"), "-w", "-t", "60", "start"]),
                   check=True, stdout=subprocess.DEVNULL)
    subprocess.run([pg_bin("createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", DB_USER, DB_NAME], check=True)
    return datadir, port


def stop(datadir: str) -> None:
    pgdata = os.path.join(datadir, "data")
    subprocess.run(as_server_user([pg_bin("pg_ctl"), "-D", pgdata, "-m", "immediate", "-w", "stop"]),
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    shutil.rmtree(datadir, ignore_errors=True)


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] != "run" or "--" not in argv:
        print(__doc__)
        return 2
    command = argv[argv.index("--") + 1:]
    datadir, port = start()
    url = f"postgres://{DB_USER}@127.0.0.1:{port}/{DB_NAME}"
    print(f"pgcluster: PostgreSQL on 127.0.0.1:{port} ({datadir})", flush=True)
    env = dict(os.environ, DATABASE_URL=url)
    child = None
    try:
        child = subprocess.Popen(command, env=env)
        return child.wait()
    except KeyboardInterrupt:
        if child:
            child.send_signal(signal.SIGINT)
            child.wait()
        return 130
    finally:
        time.sleep(0.1)
        stop(datadir)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
