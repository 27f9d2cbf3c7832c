"""Sends the surrogate keys of each cacheable response, and retries pending purges lazily.

Placed just inside ``pagecache.middleware.PageCacheMiddleware``, so the keys are stored with a
page that the page cache keeps and sent again on its hits. Keys go out only on responses a
shared cache may keep: GET or HEAD, without a session cookie (staff), setting no cookie, not
private/no-store/no-cache, not a rate-limited view (each of its requests must reach the app to
be counted), with a status caches keep (200, 301, 404, 410). Everything else has none, so a
purge can never be asked to remove what no cache should hold. And only when some cache uses
them (``FRONT_CACHE_PURGE_URLS`` or ``SURROGATE_KEY_HEADERS`` set).
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from articles.shown import shown

from . import purge
from .keys import keys_of

STATUSES = frozenset({200, 301, 404, 410})
# Header name for a CDN -> how its keys are joined.
CDN_HEADERS = {"surrogate-key": ("Surrogate-Key", " "), "cache-tag": ("Cache-Tag", ",")}


def sending():
    """Keys go out only to a cache that uses them: Varnish we purge, or a CDN. Otherwise
    nothing is added, and today's static publishing (pagecache/publish.py), which publishes
    only pages whose headers match nginx's fixed set, keeps working."""
    return bool(settings.FRONT_CACHE_PURGE_URLS or settings.SURROGATE_KEY_HEADERS)


def cacheable(request, response):
    if request.method not in ("GET", "HEAD") or response.status_code not in STATUSES:
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "")
    if any(word in cache_control for word in ("private", "no-store", "no-cache")):
        return False
    match = getattr(request, "resolver_match", None)
    return not (match and match.view_name in settings.RATELIMITS)


class SurrogateKeyMiddleware:
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
        if things and sending() and cacheable(request, response):
            keys = keys_of(things)
            response["xkey"] = " ".join(keys)
            for name in settings.SURROGATE_KEY_HEADERS:
                header, separator = CDN_HEADERS[name]
                response[header] = separator.join(keys)
        purge.retry_if_due()
        return response
