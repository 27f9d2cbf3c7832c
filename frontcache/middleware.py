"""What a shared cache in front of the app (Varnish, or a CDN) may keep, and for how long.

The app keeps no page cache of its own: Varnish (or a CDN) in front holds pages, and the
surrogate keys each response carries let an edit purge exactly the pages it changed
(``frontcache.purge``). Django's own per-site and per-view caches are not used: they could not
be purged by key, and a site without Varnish simply renders every page.

For the requests a shared cache may answer (a public reader page, ``core.reader_pages``; any
view that recorded what it shows, ``articles.shown``: feeds, sitemaps, the API; any 301, 404 or
410), this middleware decides:

- **Public**, with the keys in ``xkey`` (and ``Surrogate-Key`` / ``Cache-Tag`` when
  ``SURROGATE_KEY_HEADERS`` says so), an ``ETag`` and ``Last-Modified`` (a match answers 304),
  and ``Cache-Control: public, max-age=0, s-maxage=<lifetime>, stale-while-revalidate=<n>``:
  anonymous answers 200, 301, 404 and 410 that set no cookie and are not already private. The
  lifetime is ``FRONT_CACHE_SECONDS``, at most ``MOST_READ_SECONDS`` on a page showing the
  most-read block (its counts move without an edit), at most ``NOT_FOUND_SECONDS`` for a 404 or
  410 and for an answer whose view named nothing it shows (only the key ``site`` can purge it;
  an address may start to answer with no edit naming it: a redirect, a new page), and never
  past the next scheduled change (``frontcache.schedule``); a lifetime the schedule cut
  short gets no stale-while-revalidate, so no copy is served past that instant.
- **``private, no-store``**, no keys: a request with a session cookie (staff), one that sets a
  cookie, a rate-limited view (``RATELIMITS``: each request must reach the app to be counted;
  share-preview links are among them), any other method, and any other status (5xx errors,
  403, 400 ...).

A view that set its own Cache-Control keeps it (the API states its lifetimes,
``API_CACHE_*``; previews and API errors say ``no-store``): where a shared cache may keep the
answer, the keys are added and its ages are cut at the next scheduled change. Every other
request (the admin, static files) is left as its view made it. Keys and lifetimes cost no
query once the next scheduled change is known (one lookup per edit).
"""

import hashlib
import time

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, parse_http_date_safe

from articles.shown import shown
from core.reader_pages import reader_view_name
from frontpage.services import MOST_READ_CACHE_SECONDS

from . import purge, schedule
from .keys import ALL, keys_of

PUBLIC_STATUSES = frozenset({200, 301, 404, 410})
# A missing page may start to exist with no edit naming its address (an old address given a
# redirect, a new page of a listing): a shared cache keeps a 404 this long at most.
NOT_FOUND_SECONDS = 60
# The most-read block is recomputed from the read counts this often (frontpage.services); a
# page showing it is kept no longer, so its counts lag by at most twice this.
MOST_READ_SECONDS = MOST_READ_CACHE_SECONDS
# Header name for a CDN -> how its keys are joined.
CDN_HEADERS = {"surrogate-key": ("Surrogate-Key", " "), "cache-tag": ("Cache-Tag", ",")}


def _view_name(request):
    match = getattr(request, "resolver_match", None)
    return match.view_name if match else reader_view_name(request)


def shareable(request, response):
    """Whether a shared cache may keep this answer to a front request."""
    if request.method not in ("GET", "HEAD") or response.status_code not in PUBLIC_STATUSES:
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or response.cookies:
        return False
    if getattr(response, "streaming", False):
        return False
    cache_control = response.get("Cache-Control", "")
    if any(word in cache_control for word in ("private", "no-store", "no-cache")):
        return False
    return _view_name(request) not in settings.RATELIMITS


def lifetime(response, keys):
    """(s-maxage, stale-while-revalidate) of a shareable response."""
    seconds = settings.FRONT_CACHE_SECONDS
    if response.status_code in (404, 410) or keys == [ALL]:
        seconds = min(seconds, NOT_FOUND_SECONDS)
    if "mostread" in keys:
        seconds = min(seconds, MOST_READ_SECONDS)
    until_change = schedule.seconds_until_next_change(seconds)
    if until_change < seconds:
        return until_change, 0
    return seconds, settings.FRONT_CACHE_STALE_SECONDS


def _bound_by_schedule(response):
    """Lower a view's own max-age and s-maxage to the seconds until the next scheduled change."""
    stated = {}
    for part in response["Cache-Control"].split(","):
        name, _, value = part.strip().partition("=")
        if name in ("max-age", "s-maxage") and value.isdigit():
            stated[name.replace("-", "_")] = int(value)
    if not stated:
        return
    until_change = schedule.seconds_until_next_change(max(stated.values()))
    lowered = {name: until_change for name, value in stated.items() if value > until_change}
    if lowered:
        patch_cache_control(response, **lowered)


class FrontCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        unknown = set(settings.SURROGATE_KEY_HEADERS) - set(CDN_HEADERS)
        if unknown:
            raise ImproperlyConfigured(
                f"SURROGATE_KEY_HEADERS: unknown {', '.join(sorted(unknown))}; "
                f"known: {', '.join(CDN_HEADERS)}"
            )

    def __call__(self, request):
        response = self.get_response(request)
        things = shown(request)
        front = things or response.status_code in (301, 404, 410)
        if front or reader_view_name(request) is not None:
            if response.has_header("Cache-Control"):
                # The view decided (the API's own lifetimes, a preview's private, an error's
                # no-store): kept, with the keys if a shared cache may keep it, and cut short
                # by the next scheduled change like every other lifetime.
                if shareable(request, response):
                    self._keys(response, keys_of(things))
                    _bound_by_schedule(response)
            elif shareable(request, response):
                response = self._public(request, response, things)
            else:
                patch_cache_control(response, private=True, no_store=True)
        purge.retry_if_due()
        return response

    @staticmethod
    def _keys(response, keys):
        response["xkey"] = " ".join(keys)
        for name in settings.SURROGATE_KEY_HEADERS:
            header, separator = CDN_HEADERS[name]
            response[header] = separator.join(keys)

    def _public(self, request, response, things):
        keys = keys_of(things)
        self._keys(response, keys)
        s_maxage, stale = lifetime(response, keys)
        patch_cache_control(
            response, public=True, max_age=0, s_maxage=s_maxage, stale_while_revalidate=stale
        )
        if response.status_code != 200:
            return response
        if not response.has_header("ETag"):
            digest = hashlib.md5(response.content, usedforsecurity=False).hexdigest()
            response["ETag"] = f'"{digest}"'
        if not response.has_header("Last-Modified"):
            response["Last-Modified"] = http_date(time.time())
        answer = get_conditional_response(
            request,
            etag=response["ETag"],
            last_modified=parse_http_date_safe(response["Last-Modified"]),
            response=response,
        )
        if answer is not response:
            # A 304 keeps only the validators and Cache-Control: Varnish revalidating a copy
            # must still learn its keys.
            self._keys(answer, keys)
        return answer
