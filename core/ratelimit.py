"""Per-address rate limits for the costly public pages (search, share previews).

A fixed window per client address, counted in the shared cache. Written here rather than
taken from django-ratelimit because the 429 page must say when to come back (Retry-After, the
end of the window), which that package does not expose, and the whole of it is a dozen lines.
When the cache fails, the request is let through: a broken cache must not take search down.

It is a middleware placed early in MIDDLEWARE (see RateLimitMiddleware).
"""

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.template import loader
from django.urls import Resolver404, resolve

from .security import client_ip

logger = logging.getLogger("newsroom.ratelimit")


def parse_rate(rate):
    """``"30/60"`` -> (30 requests, 60 seconds)."""
    count, _, seconds = str(rate).partition("/")
    return int(count), int(seconds or 60)


def hit(scope, address, rate, now=None):
    """Count one request; return (allowed, seconds until the window ends)."""
    limit, window = parse_rate(rate)
    now = int(time.time() if now is None else now)
    window_start = now - now % window
    retry_after = window_start + window - now
    digest = hashlib.sha256(address.encode()).hexdigest()[:32]
    key = f"ratelimit:{scope}:{window_start}:{digest}"
    try:
        count = 1 if cache.add(key, 1, timeout=window + 1) else cache.incr(key)
    except Exception:  # the cache is down or the key expired between add and incr: let it pass
        logger.debug("rate limit counter unavailable for %s", scope, exc_info=True)
        return True, retry_after
    if count is None:  # FailSoftRedisCache while Redis is down
        return True, retry_after
    return count <= limit, retry_after


def too_many_requests(retry_after):
    # Stand-alone page, no context processors: a refused request costs no database query.
    body = loader.get_template("security/429.html").render({"retry_after": retry_after})
    response = HttpResponse(body, status=429)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


class RateLimitMiddleware:
    """Limit the views named in ``settings.RATELIMITS`` (URL name -> setting with the rate).

    An early middleware, so it runs before sessions and authentication (a refused request costs
    no database query); limited views are never marked shareable (frontcache), so a front
    cache cannot become a way around the limit.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            view_name = resolve(request.path_info).view_name
        except Resolver404:
            view_name = None
        setting = settings.RATELIMITS.get(view_name)
        if setting:
            allowed, retry_after = hit(view_name, client_ip(request), getattr(settings, setting))
            if not allowed:
                return too_many_requests(retry_after)
        return self.get_response(request)
