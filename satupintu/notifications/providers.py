"""Which adapter delivers which channel. Tests swap in fakes with `use_clients(...)`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from satupintu.integrations.messaging import MessageClient

_overrides: dict[str, MessageClient] = {}


def client_for(channel: str) -> MessageClient:
    if channel in _overrides:
        return _overrides[channel]
    if channel == "sms":
        from satupintu.integrations.sms import SmsClient

        return SmsClient.from_settings()
    if channel == "whatsapp":
        from satupintu.integrations.whatsapp import WhatsAppClient

        return WhatsAppClient.from_settings()
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
