"""Per-address rate limits for the costly public pages (search, share previews).

A fixed window per client address, counted in the shared cache. Written here rather than
taken from django-ratelimit because the 429 page must say when to come back (Retry-After, the
end of the window), which that package does not expose, and the whole of it is a dozen lines.
When the cache fails, the request is let through: a broken cache must not take search down.

Use it as a view decorator: it runs before the view and before any page cache inside it, so a
cached search page is never a way around the limit.
"""

import functools
import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

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


def ratelimit(scope, setting):
    """Decorate a view: more than ``settings.<setting>`` requests per window get the 429 page."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            allowed, retry_after = hit(scope, client_ip(request), getattr(settings, setting))
            if not allowed:
                response = render(
                    request,
                    "security/429.html",
                    {"retry_after": retry_after},
                    status=429,
                )
                response["Retry-After"] = str(retry_after)
                response["Cache-Control"] = "no-store"
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
