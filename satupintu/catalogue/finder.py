"""Service finder (placeholder: plain substring match). The real finder — stemming,
synonyms, typo tolerance, English — replaces this module's internals; its interface
`find(query, mall=None, limit=10) -> list[Hit]` stays."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from satupintu.catalogue.models import Service


@dataclass
class Hit:
    service: Service
    score: float


def find(query: str, *, mall: str | None = None, limit: int = 10) -> list[Hit]:
    words = [w for w in (query or "").lower().split() if w]
    if not words:
        return []
    qs = Service.objects.filter(is_active=True).select_related("mall", "agency")
    if mall:
        qs = qs.filter(mall__slug=mall)
    cond = Q()
    for w in words:
        cond |= Q(name__icontains=w) | Q(description__icontains=w)
    return [Hit(s, 1.0) for s in qs.filter(cond)[:limit]]
