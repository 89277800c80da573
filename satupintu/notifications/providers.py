"""Which adapter delivers which channel. Tests swap in fakes with `use_clients(...)`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from satupintu.integrations.messaging import MessageClient

_overrides: dict[str, MessageClient] = {}
_pooled: dict[tuple, MessageClient] = {}


def _pooled_client(cls) -> MessageClient:
    """HTTP adapters keep their connection pool between sends; a changed setting (URL, key)
    gives a new adapter."""
    client = cls.from_settings()
    ident = (cls.__name__, client.base_url, client.api_key, client.timeout)
    if ident not in _pooled:
        _pooled[ident] = client
    return _pooled[ident]


def client_for(channel: str) -> MessageClient:
    if channel in _overrides:
        return _overrides[channel]
    if channel == "sms":
        from satupintu.integrations.sms import SmsClient

        return _pooled_client(SmsClient)
    if channel == "whatsapp":
        from satupintu.integrations.whatsapp import WhatsAppClient

        return _pooled_client(WhatsAppClient)
    if channel == "email":
        from satupintu.integrations.email import EmailClient

        return EmailClient.from_settings()
    raise ValueError(f"no provider for channel {channel!r}")


@contextmanager
def use_clients(**clients: MessageClient) -> Iterator[None]:
    """`with use_clients(sms=FakeSmsClient()): ...`"""
    previous = dict(_overrides)
    _overrides.update(clients)
    try:
        yield
    finally:
        _overrides.clear()
        _overrides.update(previous)
