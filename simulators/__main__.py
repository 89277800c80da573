"""python -m simulators {all|NAME} [--port N]: run simulators until interrupted."""

from __future__ import annotations

import argparse
import importlib.util  # noqa: F401  (registry uses it)
import os
import signal
import subprocess
import sys

from simulators.registry import SIMULATORS, load


def run_one(name: str, port: int) -> None:
    module = load(name)
    module.main(port=port)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m simulators")
    parser.add_argument("name", help="'all' or one of: " + ", ".join(SIMULATORS))
    parser.add_argument("--port", type=int, default=None)
    args = parser.parse_args()
    if args.name != "all":
        if args.name not in SIMULATORS:
            parser.error(f"unknown simulator {args.name!r}")
        run_one(args.name, args.port or SIMULATORS[args.name][1])
        return 0
    children = []
    for name, (_module, port) in SIMULATORS.items():
        env_port = os.environ.get(f"SIM_{name.upper()}_PORT")
        children.append(subprocess.Popen([sys.executable, "-m", "simulators", name, "--port",
                                          str(int(env_port) if env_port else port)]))
    try:
        signal.sigwait({signal.SIGINT, signal.SIGTERM})
    except KeyboardInterrupt:
        pass
    for child in children:
        child.terminate()
    for child in children:
        child.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
