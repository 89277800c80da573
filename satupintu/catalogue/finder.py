"""Service finder: understands how people type ("ktp ilang", "bikin akte anak",
"perpanjang sim", "lost id card").

How a query is read
1. Normal form: lower case, accents folded, anything but letters and digits is a space.
2. Phrases from `finder_words.SYNONYMS` (longest first, up to four words) become one
   *group* each; other words are groups of their own; stopwords are dropped.
3. Each group expands to terms: its own stem (PySastrawi, plus a light English plural
   rule), the stems of its synonyms, and — only when none of those occurs in the
   catalogue — the closest catalogue words by prefix and by edit similarity (RapidFuzz).
   A synonym or fuzzy expansion counts a little less than the word itself.

How a service scores
Every active service is indexed once per process: stems of its name, English name,
aliases, product, agency name and short name, description (ID and EN) and requirements,
each field with a weight (the name counts most, requirements least). A group's score
for a service is the best of its expansions (expansion weight × idf × field weight); a
phrase expansion needs all its words. The service's score is the sum over groups divided
by the most the groups could score, so it lies in 0..1 and says how much of the query the
service explains.

Freshness (see docs/adr/0010-finder-index-in-process.md)
The index lives in this process. A save or delete of a Service, Agency or Mall bumps a
version number (now and again on commit), so this process rebuilds before its next
search; other processes notice within `FINDER_RECHECK_SECONDS` through cheap aggregate queries
(count and latest `updated_at` of services, agencies, malls) — never per search.
"""

from __future__ import annotations

import bisect
import math
import re
import threading
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max
from django.db.models.signals import post_delete, post_save
from rapidfuzz import fuzz, process

from satupintu.catalogue.finder_words import ACTION_WORDS, STEM_OVERRIDES, STOPWORDS, SYNONYMS
from satupintu.catalogue.models import Agency, Mall, Service

MAX_QUERY_CHARS = 200
MAX_GROUPS = 12
MAX_PHRASE = 4
FIELD_WEIGHTS = {
    "name": 3.0, "name_en": 3.0, "aliases": 2.5, "product": 1.5, "agency": 1.2,
    "description": 1.0, "description_en": 1.0, "requirements": 0.3,
}
TOP_WEIGHT = max(FIELD_WEIGHTS.values())
SYNONYM_WEIGHT = 0.95
PREFIX_WEIGHT = 0.7
FUZZY_WEIGHT = 0.8
MIN_SCORE = 0.15
ACTION_WORDS_WEIGHT = 0.5
RELATIVE_CUTOFF = 0.25

_TOKEN_RE = re.compile(r"[0-9a-z]+")


@dataclass
class Hit:
    service: Service
    score: float


# --- text -----------------------------------------------------------------------------


def tokens(text: str) -> list[str]:
    """Normal form of a text as a list of words."""
    folded = unicodedata.normalize("NFKD", text.lower())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).replace("'", "").replace("’", "")
    return _TOKEN_RE.findall(folded)


@lru_cache(maxsize=1)
def _stemmer():
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer()


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    if word in STEM_OVERRIDES:
        return STEM_OVERRIDES[word]
    if len(word) <= 3 or not word.isalpha():
        return word
    result = _stemmer().stem(word)
    if result != word:
        return result
    # English plurals ("certificates", "licenses", "cities"); Indonesian words rarely end so.
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


_SYNONYM_KEYS = {tuple(key.split()): value for key, value in SYNONYMS.items()}


# --- index ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Doc:
    """What the index needs of one service (built from the database, or in memory by the bench)."""

    id: int
    mall: str
    fields: dict[str, str]


@dataclass
class Index:
    mall_of: list[str]
    ids: list[int]
    postings: dict[str, dict[int, float]]
    idf: dict[str, float]
    surface: dict[str, str]  # a word as written → its stem
    surface_sorted: list[str] = field(default_factory=list)
    surface_list: list[str] = field(default_factory=list)
    phrases: dict[tuple[str, ...], dict[int, float]] = field(default_factory=dict)

    @classmethod
    def build(cls, docs: Iterable[Doc]) -> Index:
        mall_of: list[str] = []
        ids: list[int] = []
        postings: dict[str, dict[int, float]] = {}
        surface: dict[str, str] = {}
        for n, doc in enumerate(docs):
            mall_of.append(doc.mall)
            ids.append(doc.id)
            weights: dict[str, list[float]] = {}
            for name, text in doc.fields.items():
                fw = FIELD_WEIGHTS[name]
                for word in tokens(text):
                    term = stem(word)
                    if len(word) >= 3 and word.isalpha():
                        surface.setdefault(word, term)
                    seen = weights.setdefault(term, [])
                    if fw not in seen:
                        seen.append(fw)
            for term, fws in weights.items():
                # best field, plus a little for each other field that also names it
                postings.setdefault(term, {})[n] = max(fws) + 0.1 * (len(fws) - 1)
        total = max(len(ids), 1)
        idf = {term: math.log(1 + total / len(docs_)) for term, docs_ in postings.items()}
        surface_list = list(surface)
        return cls(mall_of, ids, postings, idf, surface, sorted(surface_list), surface_list)

    # --- query -----------------------------------------------------------------------

    def _posting(self, stems: tuple[str, ...]) -> dict[int, float]:
        """Services containing every stem, weighted by the weakest; phrases are cached."""
        if len(stems) == 1:
            return self.postings[stems[0]]
        posting = self.phrases.get(stems)
        if posting is None:
            lists = sorted((self.postings[s] for s in stems), key=len)
            posting = {d: min(p[d] for p in lists) for d in lists[0] if all(d in p for p in lists[1:])}
            if len(self.phrases) > 10_000:  # bounded: phrases come from queries
                self.phrases.clear()
            self.phrases[stems] = posting
        return posting

    def _known(self, stems: tuple[str, ...]) -> bool:
        return all(s in self.postings for s in stems)

    def _expand(self, words: tuple[str, ...]) -> list[tuple[tuple[str, ...], float]]:
        """Terms a group of query words stands for, each with its weight."""
        out: dict[tuple[str, ...], float] = {}
        own = tuple(stem(w) for w in words if w not in STOPWORDS) or tuple(stem(w) for w in words)
        if self._known(own):
            out[own] = 1.0
        for target in _SYNONYM_KEYS.get(words, []):
            stems = tuple(stem(w) for w in target.split())
            if self._known(stems):
                out[stems] = max(out.get(stems, 0.0), SYNONYM_WEIGHT)
        if out or len(words) > 1:
            return list(out.items())
        word = words[0]
        if len(word) < 3 or not word.isalpha():
            return []
        # Typed half a word ("kelahi") or with a typo ("kelahrian", "pasport").
        start = bisect.bisect_left(self.surface_sorted, word)
        for candidate in self.surface_sorted[start:start + 5]:
            if not candidate.startswith(word):
                break
            out.setdefault((self.surface[candidate],), PREFIX_WEIGHT)
        if len(word) >= 4:
            cutoff = 80 if len(word) >= 6 else 74
            for candidate, score, _ in process.extract(word, self.surface_list, scorer=fuzz.ratio,
                                                       score_cutoff=cutoff, limit=3):
                term = (self.surface[candidate],)
                out[term] = max(out.get(term, 0.0), FUZZY_WEIGHT * score / 100)
            for key, score, _ in process.extract(word, _SINGLE_SYNONYMS, scorer=fuzz.ratio,
                                                 score_cutoff=cutoff, limit=2):
                for target in SYNONYMS[key]:
                    stems = tuple(stem(w) for w in target.split())
                    if self._known(stems):
                        out[stems] = max(out.get(stems, 0.0), FUZZY_WEIGHT * score / 100)
        return list(out.items())

    def search(self, query: str, *, mall: str | None = None, limit: int = 10) -> list[tuple[int, float]]:
        """(service id, score) best first."""
        groups = _groups(tokens((query or "")[:MAX_QUERY_CHARS]))[:MAX_GROUPS]
        totals: dict[int, float] = {}
        possible = 0.0
        seen: set[frozenset] = set()
        for words in groups:
            expansions = self._expand(words)
            key = frozenset(stems for stems, _ in expansions)
            if not expansions or key in seen:
                continue  # unknown to the catalogue, or said twice ("bikin buat"): neither helps nor hurts
            seen.add(key)
            group_weight = ACTION_WORDS_WEIGHT if len(words) == 1 and words[0] in ACTION_WORDS else 1.0
            best: dict[int, float] | None = None
            group_max = 0.0
            for stems, weight in expansions:
                idf = sum(self.idf[s] for s in stems) / len(stems)
                factor = weight * idf * group_weight
                # what an exact match would score: a guessed (fuzzy) word never explains the whole query
                group_max = max(group_max, idf * group_weight * TOP_WEIGHT)
                posting = self._posting(stems)
                if best is None:
                    best = {doc: factor * w for doc, w in posting.items()}
                    continue
                for doc, w in posting.items():
                    value = factor * w
                    if value > best.get(doc, 0.0):
                        best[doc] = value
            possible += group_max
            if not totals:
                totals = best or {}
                continue
            get = totals.get
            for doc, value in (best or {}).items():
                totals[doc] = get(doc, 0.0) + value
        if not totals or possible <= 0:
            return []
        if mall:
            totals = {d: v for d, v in totals.items() if self.mall_of[d] == mall}
        ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0]))[: max(limit, 0)]
        if not ranked:
            return []
        top = ranked[0][1] / possible
        return [(self.ids[d], min(v / possible, 1.0)) for d, v in ranked
                if v / possible >= MIN_SCORE and v / possible >= RELATIVE_CUTOFF * top]


_SINGLE_SYNONYMS = [key for key in SYNONYMS if " " not in key and len(key) >= 4]


def _groups(words: list[str]) -> list[tuple[str, ...]]:
    groups: list[tuple[str, ...]] = []
    i = 0
    while i < len(words):
        for size in range(min(MAX_PHRASE, len(words) - i), 0, -1):
            phrase = tuple(words[i:i + size])
            if phrase in _SYNONYM_KEYS:
                groups.append(phrase)
                i += size
                break
        else:
            word = words[i]
            if word not in STOPWORDS and (len(word) > 1 or word.isdigit()):
                groups.append((word,))
            i += 1
    # the same group twice counts once ("ktp ktp ktp")
    return list(dict.fromkeys(groups))


# --- the index of this process ---------------------------------------------------------


def service_doc(service: Service) -> Doc:
    requirements = " ".join(
        " ".join([group.get("variant", "")] + [str(item) for item in group.get("items", [])])
        for group in (service.requirements or []) if isinstance(group, dict)
    )
    agency = service.agency
    return Doc(
        id=service.id,
        mall=service.mall.slug,
        fields={
            "name": service.name,
            "name_en": service.name_en,
            "aliases": " ; ".join(str(a) for a in service.search_aliases or []),
            "product": service.product,
            "agency": f"{agency.name} {agency.short_name} {agency.slug.replace('_', ' ')}",
            "description": service.description,
            "description_en": service.description_en,
            "requirements": requirements,
        },
    )


class _State:
    lock = threading.Lock()
    version = 0
    built_version = -1
    index: Index | None = None
    fingerprint: tuple | None = None
    checked_at = 0.0


def invalidate(**_kwargs) -> None:
    """Rebuild before the next search (signal receiver; also called on commit)."""
    _State.version += 1


def _on_change(**kwargs) -> None:
    invalidate()
    # Saved inside a transaction: rebuild again once it commits, so an index built from
    # uncommitted rows (or rows later rolled back) does not outlive the transaction.
    transaction.on_commit(invalidate)


for _model in (Service, Agency, Mall):
    post_save.connect(_on_change, sender=_model, dispatch_uid=f"finder-{_model.__name__}-save")
    post_delete.connect(_on_change, sender=_model, dispatch_uid=f"finder-{_model.__name__}-delete")


def _fingerprint() -> tuple:
    s = Service.objects.aggregate(n=Count("id"), at=Max("updated_at"))
    a = Agency.objects.aggregate(n=Count("id"), at=Max("updated_at"))
    m = Mall.objects.aggregate(n=Count("id"), at=Max("updated_at"))
    return (s["n"], s["at"], a["n"], a["at"], m["n"], m["at"])


def current_index() -> Index:
    now = time.monotonic()
    recheck = getattr(settings, "FINDER_RECHECK_SECONDS", 30)
    with _State.lock:
        if _State.index is not None and _State.built_version == _State.version:
            if now - _State.checked_at < recheck:
                return _State.index
            _State.checked_at = now
            fingerprint = _fingerprint()
            if fingerprint == _State.fingerprint:
                return _State.index
        version = _State.version
        fingerprint = _fingerprint()
        services = Service.objects.filter(is_active=True).select_related("mall", "agency").order_by("id")
        _State.index = Index.build(service_doc(s) for s in services)
        _State.built_version = version
        _State.fingerprint = fingerprint
        _State.checked_at = now
        return _State.index


def find(query: str, *, mall: str | None = None, limit: int = 10) -> list[Hit]:
    """Active services that match `query`, best first, each with a score in 0..1."""
    if not (query or "").strip() or limit <= 0:
        return []
    ranked = current_index().search(query, mall=mall, limit=limit)
    if not ranked:
        return []
    # `source` (the raw catalogue record, archival) is large and never shown in results
    found = (
        Service.objects.filter(id__in=[i for i, _ in ranked], is_active=True)
        .select_related("mall", "agency")
        .defer("source", "mall__source", "agency__source")
    )
    by_id = {s.id: s for s in found}
    return [Hit(by_id[i], score) for i, score in ranked if i in by_id]
