"""Shared test set-up. Fixtures live in tests/fixtures/*.py (one module per domain,
loaded automatically here), so each domain adds its own without editing this file."""

from __future__ import annotations

import os
from pathlib import Path

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests
# make around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
os.environ.setdefault("SATUPINTU_ENV", "test")
os.environ.setdefault("AXES_ENABLED", "false")

pytest_plugins = sorted(
    f"tests.fixtures.{p.stem}" for p in (Path(__file__).parent / "tests" / "fixtures").glob("*.py")
    if p.stem != "__init__"
)
