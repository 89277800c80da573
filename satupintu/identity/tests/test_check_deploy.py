"""`manage.py check --deploy` is clean with production settings (what `make check-deploy` runs)."""

from __future__ import annotations

import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _production_env(**extra) -> dict[str, str]:
    dropped = ("PII_", "SECRET_KEY", "DEBUG", "AXES_", "DJANGO_ALLOW_ASYNC")
    env = {k: v for k, v in os.environ.items() if not k.startswith(dropped)}
    env.update({
        "SATUPINTU_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "mpp.example.go.id",
        "PII_KEYS": "k1:" + base64.b64encode(secrets.token_bytes(32)).decode(),
        "PII_INDEX_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
        "DATABASE_URL": "postgres://u@127.0.0.1:1/x",
        "SATUPINTU_VAR_DIR": str(ROOT / "var"),
    })
    env.update(extra)
    return env


def test_check_deploy_is_clean_with_production_settings():
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=_production_env(), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_the_pii_keys():
    env = _production_env()
    env.pop("PII_KEYS")
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "PII_KEYS" in result.stdout + result.stderr
