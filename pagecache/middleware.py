"""Whole-page cache for anonymous readers, with exact invalidation and HTTP validators.

Django's own per-site cache middleware is not used: it cannot key pages on a generation that
edits bump, cannot bound an entry's life by the next scheduled publication, and would cache
for staff too. This one:

- serves only GET/HEAD of the reader pages named in ``CACHEABLE_VIEWS``, and only to requests
  without a session cookie (readers never log in; staff always get a fresh page, marked
  ``private, no-store``, and never fill the cache);
- keys each page on the host, the full path with its query string and the content
  generation (``pagecache.generation``), and keeps it at most ``PAGE_CACHE_SECONDS`` and never
  past the next scheduled change (``pagecache.schedule``);
- stores only 200/301/404 answers that set no cookie and are not ``private``/``no-store``;
- gives every anonymous page an ``ETag`` and ``Last-Modified`` and answers 304 to a matching
  ``If-None-Match``/``If-Modified-Since``, with ``Cache-Control: public, max-age=0,
  s-maxage=FRONT_CACHE_SECONDS, stale-while-revalidate=...`` for nginx and a CDN;
- ignores cache errors (Redis down): the page is rendered as if nothing were cached.
"""

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, parse_http_date_safe

from . import generation, schedule

logger = logging.getLogger(__name__)

# Reader pages (URL names) whose answer is the same for every anonymous reader.
CACHEABLE_VIEWS = frozenset(
    f"articles:{name}"
    for name in (
        "latest detail detail-short author-detail section-detail tag-detail search feed "
        "feed-atom section-feed section-feed-atom tag-feed tag-feed-atom author-feed "
        "author-feed-atom sitemap sitemap-news sitemap-section robots archive-year "
        "archive-month archive-day"
    ).split()
) | {"frontpage:home"}
CACHEABLE_STATUSES = frozenset({200, 301, 404})


def reader_view_name(request):
    """The URL name of a cacheable reader page, or None for any other request."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    return match.view_name if match.view_name in CACHEABLE_VIEWS else None


def is_reader_page(request):
    return reader_view_name(request) is not None


def page_key(request):
    """The cache key of a page: host and full path with its query string (not the generation,
    which each entry carries, so the WSGI shortcut reads both in one round trip)."""
    raw = f"{request.get_host()}{request.get_full_path()}"
    return f"pagecache:page:{hashlib.sha256(raw.encode()).hexdigest()}"


def _public_headers(response):
    patch_cache_control(
        response,
        public=True,
        max_age=0,
        s_maxage=settings.FRONT_CACHE_SECONDS,
        stale_while_revalidate=settings.FRONT_CACHE_STALE_SECONDS,
    )


def _freeze(response, gen, shortcut):
    return {
        # Valid only while this is the current generation: an edit bumps it.
        "generation": gen,
        # Whether pagecache.wsgi may answer it before Django's middleware (not for
        # rate-limited views, whose every request must be counted).
        "shortcut": shortcut,
        "status": response.status_code,
        "content": response.content,
        "headers": list(response.headers.items()),
    }


def _thaw(entry):
    response = HttpResponse(entry["content"], status=entry["status"])
    for name, value in entry["headers"]:
        response.headers[name] = value
    return response


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        view_name = reader_view_name(request) if request.method in ("GET", "HEAD") else None
        if view_name is None:
            return self.get_response(request)
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            # Possibly staff: always fresh, never shared, never stored.
            response = self.get_response(request)
            patch_cache_control(response, private=True, no_store=True)
            return response
        gen = generation.current() if settings.PAGE_CACHE_ENABLED else None
        key = None
        if gen is not None:
            # HEAD is answered from the GET entry (the handler strips the body).
            key = page_key(request)
            try:
                entry = cache.get(key)
            except Exception:
                logger.warning("page cache unavailable", exc_info=True)
                entry, key = None, None
            if entry is not None and entry.get("generation") == gen:
                return self._conditional(request, _thaw(entry))
        response = self.get_response(request)
        if response.status_code not in CACHEABLE_STATUSES or getattr(response, "streaming", False):
            return response
        cache_control = response.get("Cache-Control", "")
        if response.cookies or "private" in cache_control or "no-store" in cache_control:
            return response
        _public_headers(response)
        if not response.has_header("ETag"):
            response["ETag"] = (
                f'"{hashlib.md5(response.content, usedforsecurity=False).hexdigest()}"'
            )
        if not response.has_header("Last-Modified"):
            response["Last-Modified"] = http_date(time.time())
        if key is not None:
            shortcut = view_name not in settings.RATELIMITS
            self._store(key, gen, response, shortcut)
            if shortcut and settings.PAGE_PUBLISH_ROOT and self._publishable(request, response):
                # Written as a file by the WSGI layer (pagecache.wsgi), which sees the final
                # headers: pagecache.publish.
                response.publish_as = (gen, request.get_host(), request.path)
        return self._conditional(request, response)

    @staticmethod
    def _publishable(request, response):
        return (
            request.method == "GET"
            and not request.META.get("QUERY_STRING")
            and response.status_code == 200
            and response.get("Content-Type", "").startswith("text/html")
        )

    @staticmethod
    def _store(key, gen, response, shortcut):
        try:
            timeout = schedule.seconds_until_next_change(gen, settings.PAGE_CACHE_SECONDS)
            if timeout > 0:
                cache.set(key, _freeze(response, gen, shortcut), timeout)
        except Exception:
            logger.warning("page cache unavailable", exc_info=True)

    @staticmethod
    def _conditional(request, response):
        if response.status_code != 200:
            return response
        last_modified = response.get("Last-Modified")
        return get_conditional_response(
            request,
            etag=response.get("ETag"),
            last_modified=parse_http_date_safe(last_modified) if last_modified else None,
            response=response,
        )
