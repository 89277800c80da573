"""What a complaint can be linked to. Other domains register a resolver that turns
(type, code) into the facts a complaint needs, after checking that the user may see it:

    register_link_resolver("ticket", resolve_ticket)   # fn(user, code) -> Link | None
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from satupintu.catalogue.models import Agency, Counter, Mall, Service


@dataclass
class Link:
    type: str
    code: str
    reference: str
    mall: Mall
    agency: Agency
    service: Service | None = None
    counter: Counter | None = None
    officer: object | None = None
    service_date: date | None = None
    label: str = ""


_RESOLVERS: dict[str, Callable[[object, str], Link | None]] = {}


def register_link_resolver(kind: str, fn: Callable[[object, str], Link | None]) -> None:
    _RESOLVERS[kind] = fn


def resolve_link(user, kind: str, code: str) -> Link | None:
    fn = _RESOLVERS.get(kind)
    if fn is None or not code:
        return None
    try:
        return fn(user, code)
    except Exception:  # a bad or foreign code simply gives no prefill
        return None


def link_kinds() -> list[str]:
    return sorted(_RESOLVERS)
