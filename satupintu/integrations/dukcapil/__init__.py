"""Population-registry (Dukcapil-style) adapter: `get_client()` returns the configured client.

Tests swap in `FakeDukcapil` with `use_client(fake)` (or talk to the simulator over a socket)."""

from __future__ import annotations

from django.conf import settings

from satupintu.integrations.dukcapil.client import DukcapilClient
from satupintu.integrations.dukcapil.errors import (
    RegistryError,
    RegistryNoMatch,
    RegistryRejected,
    RegistryUnavailable,
)
from satupintu.integrations.dukcapil.fake import FakeDukcapil
from satupintu.integrations.dukcapil.types import Family, FamilyMember, IdentityClaim, Verification

_override = None


def get_client():
    if _override is not None:
        return _override
    return DukcapilClient(base_url=settings.DUKCAPIL_URL, api_key=settings.DUKCAPIL_API_KEY,
                          timeout=settings.DUKCAPIL_TIMEOUT)


def use_client(client) -> None:
    """Install a client (a FakeDukcapil in unit tests); None restores the configured one."""
    global _override
    _override = client


__all__ = ["DukcapilClient", "FakeDukcapil", "Family", "FamilyMember", "IdentityClaim", "RegistryError",
           "RegistryNoMatch", "RegistryRejected", "RegistryUnavailable", "Verification", "get_client", "use_client"]
