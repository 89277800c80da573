"""Cache of the public catalogue pages.

A page is cached per (catalogue version, language, path) for anonymous GET requests. The
catalogue version is one database row bumped by signals whenever a mall, its hours or
closures, an agency, a tenancy, a counter or a service changes (see `signals.py`). Each
process remembers the version it read for at most `VERSION_TTL` seconds, so a change
reaches every web process within that time without a query per request; the process
that made the change sees it at once. See docs/adr/0021-public-page-cache.md.
"""

from __future__ import annotations

import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db.models import F
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.text import compress_string

VERSION_TTL = 1.0  # seconds a process trusts the version it read
_local = {"value": None, "read_at": 0.0}

def catalogue_version() -> int:
    now = time.monotonic()
    if _local["value"] is None or now - _local["read_at"] > VERSION_TTL:
        from satupintu.catalogue.models import CatalogueVersion

        _local["value"] = CatalogueVersion.objects.filter(pk=1).values_list("value", flat=True).first() or 0
        _local["read_at"] = now
    return _local["value"]


def catalogue_version_bump() -> None:
    """Called by signals inside the writer's transaction (the row lock orders writers)."""
    from satupintu.catalogue.models import CatalogueVersion

    if not CatalogueVersion.objects.filter(pk=1).update(value=F("value") + 1):
        CatalogueVersion.objects.get_or_create(pk=1, defaults={"value": 2})
    forget_version()


def forget_version() -> None:
    _local["value"] = None


def _cacheable_request(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    cookies = request.COOKIES
    # A session or a pending message makes the page personal (name in the header, a notice).
    personal = (settings.SESSION_COOKIE_NAME, "messages")
    return not any(name in cookies for name in personal)


def public_page(timeout: int | None = None):
    """Cache a public view's 200 response for anonymous readers.

    The view still runs its security and language middleware on every request; only the
    rendering is skipped. Pages whose content depends on the clock pass a short timeout.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            seconds = min(timeout or settings.PAGE_CACHE_SECONDS, settings.PAGE_CACHE_SECONDS)
            if seconds <= 0 or not _cacheable_request(request):
                return view(request, *args, **kwargs)
            key = f"page:{catalogue_version()}:{translation.get_language()}:{request.get_full_path()}"
            hit = cache.get(key)
            if hit is None:
                response = view(request, *args, **kwargs)
                personal = response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # a form's token
                if response.status_code != 200 or personal or getattr(response, "streaming", False):
                    return response
                if hasattr(response, "render") and callable(response.render):
                    response.render()
                # Compressed once here, not by GZipMiddleware on every hit.
                hit = (response.content, compress_string(response.content), response["Content-Type"])
                cache.set(key, hit, seconds)
                state = "miss"
            else:
                state = "hit"
            content, compressed, content_type = hit
            response = HttpResponse(content_type=content_type)
            if "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "") and len(compressed) < len(content):
                response.content = compressed
                response["Content-Encoding"] = "gzip"
            else:
                response.content = content
            patch_vary_headers(response, ("Accept-Encoding",))
            response["X-Cache"] = state
            return response

        return wrapped

    return decorator
