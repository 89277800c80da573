"""Demo data, loaded by `manage.py load_demo` (and `make demo`).

Each app that has demo data keeps it in its own `demo.py` with
`load(stdout) -> list[Login]`; they run in the order below. Every loader is idempotent:
a second run neither duplicates nor loses anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

ORDER = ["catalogue", "identity", "documents", "applications", "queue", "notifications", "complaints", "survey"]

DEMO_PASSWORD = "SatuPintu-Demo-2026"  # noqa: S105 - published demo credential, refused in production


@dataclass
class Login:
    role: str
    login: str
    password: str
    note: str = ""


def load_all(stdout) -> list[Login]:
    logins: list[Login] = []
    for app in ORDER:
        try:
            module = import_module(f"satupintu.{app}.demo")
        except ModuleNotFoundError as exc:
            if exc.name == f"satupintu.{app}.demo":
                continue
            raise
        logins.extend(module.load(stdout) or [])
    return logins
