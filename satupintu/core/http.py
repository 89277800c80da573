"""The one module that owns outbound HTTP (house style 9).

Timeouts always, no redirects, and no private or link-local addresses unless the
destination is explicitly allowed (the simulators on loopback in the demo and tests).
Import `http_client()` from here; ruff bans importing httpx anywhere else.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

import httpx
from django.conf import settings

DEFAULT_TIMEOUT = httpx.Timeout(5.0, connect=3.0)


class BlockedDestination(Exception):
    pass


def _allowed_hosts() -> set[str]:
    return set(getattr(settings, "OUTBOUND_ALLOWED_PRIVATE_HOSTS", ["127.0.0.1", "localhost", "::1"]))


def check_destination(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise BlockedDestination(f"unsupported URL: {url!r}")
    host = parts.hostname
    if host in _allowed_hosts():
        return
    try:
        infos = socket.getaddrinfo(host, parts.port or 443, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise BlockedDestination(f"cannot resolve {host}") from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if address.is_private or address.is_loopback or address.is_link_local or address.is_reserved:
            raise BlockedDestination(f"{host} resolves to a private address")


class _Guard(httpx.BaseTransport):
    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        check_destination(str(request.url))
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


def http_client(*, base_url: str = "", timeout: float | httpx.Timeout | None = None,
                headers: dict[str, str] | None = None) -> httpx.Client:
    return httpx.Client(
        base_url=base_url,
        timeout=timeout if timeout is not None else DEFAULT_TIMEOUT,
        follow_redirects=False,
        headers=headers,
        transport=_Guard(httpx.HTTPTransport(retries=0)),
    )


# re-exported so adapters can classify failures without importing httpx themselves
TimeoutException = httpx.TimeoutException
TransportError = httpx.TransportError
HTTPStatusError = httpx.HTTPStatusError
Response = httpx.Response
