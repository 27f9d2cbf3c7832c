"""A Redis cache that never breaks a page: when Redis is down, it answers like an empty cache.

Django's RedisCache raises on every call while Redis is unreachable, and the cache is only an
optimisation here (page blocks, edit presence, rate-limit counters), so each failure is
swallowed and the caller gets what a cache miss gives. The outage is logged once when it starts
and once when Redis answers again, not once per request. How long a call may wait before it
counts as a failure is in the settings (``CACHES``: measured there, so that a loaded Redis is
not mistaken for a dead one). Nothing maintained does this for
Django's built-in backend (django-redis has IGNORE_EXCEPTIONS, but for its own backend only).
"""

import logging
import threading

from django.core.cache.backends.redis import RedisCache

from .redis import NewsroomRedisCache

logger = logging.getLogger("newsroom.cache")

_outage = {"down": False}
_lock = threading.Lock()


def _failed(error):
    with _lock:
        if not _outage["down"]:
            _outage["down"] = True
            logger.error("cache unavailable, serving without it: %s", error)


def _succeeded():
    if _outage["down"]:
        with _lock:
            if _outage["down"]:
                _outage["down"] = False
                logger.warning("cache available again")


def _fail_soft(name, fallback):
    method = getattr(RedisCache, name)

    def wrapper(self, *args, **kwargs):
        try:
            result = method(self, *args, **kwargs)
        except ValueError:
            # Not an outage: Django's answer to incr()/decr() of a missing key, which callers
            # (the front cache's schedule stamp) handle themselves.
            raise
        except Exception as error:  # any client error (connection refused, timeout, ...)
            _failed(error)
            return fallback(*args, **kwargs)
        _succeeded()
        return result

    wrapper.__name__ = name
    return wrapper


def _default(key, default=None, *args, **kwargs):
    return default


def _none(*args, **kwargs):
    return None


class FailSoftRedisCache(NewsroomRedisCache):
    get = _fail_soft("get", _default)
    get_many = _fail_soft("get_many", lambda *args, **kwargs: {})
    set = _fail_soft("set", _none)
    add = _fail_soft("add", lambda *args, **kwargs: False)
    set_many = _fail_soft("set_many", lambda data, *args, **kwargs: list(data))
    touch = _fail_soft("touch", lambda *args, **kwargs: False)
    delete = _fail_soft("delete", lambda *args, **kwargs: False)
    delete_many = _fail_soft("delete_many", _none)
    has_key = _fail_soft("has_key", lambda *args, **kwargs: False)
    incr = _fail_soft("incr", _none)
    decr = _fail_soft("decr", _none)
    clear = _fail_soft("clear", lambda *args, **kwargs: False)
