"""The content generation: one number, part of every cached page's key, bumped by any edit.

Bumping it makes every cached page unreachable at once, so the very next reader request
after an edit renders afresh; old entries simply expire. Edits are rare next to reads (a
newsroom saves a few articles a minute and serves thousands of pages a second), so dropping
the whole page cache on each edit costs little and needs no dependency tracking that could
miss a page (the header's sections, the banner, "related" blocks appear on many pages).

The number lives in the shared cache (Redis with REDIS_URL). If it is lost (eviction, a
restarted Redis), it restarts from the clock in nanoseconds, which is larger than any value
used before, so no old entry becomes reachable again.
"""

import logging
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from . import publish

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"


def current():
    """The current generation, or None if the cache cannot be reached (then nothing is cached)."""
    try:
        value = cache.get(GENERATION_KEY)
        if value is None:
            cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
            value = cache.get(GENERATION_KEY)
        return value
    except Exception:  # any cache backend error: serve uncached
        logger.warning("page cache unavailable", exc_info=True)
        return None


def _bump():
    try:
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:  # missing: start above every value used before
            cache.set(GENERATION_KEY, time.time_ns(), timeout=None)
    except Exception:
        logger.error("page cache generation could not be bumped", exc_info=True)
    if settings.PAGE_PUBLISH_ROOT:
        # Published pages of the old generation stop being served before this request answers.
        try:
            sync_published()
        except Exception:
            logger.error("published pages could not be switched", exc_info=True)


def sync_published(base=None):
    """Point the published pages' ``current`` at the folder of the generation now in the cache;
    returns the folder's name (``pagecache.publish``).

    The generation is read under the lock, so that of several processes bumping at once the
    last to take the lock (which reads the newest generation) decides.
    """
    base = Path(base) if base else publish.root()
    if base is None:
        return None
    with publish.locked(base):
        return publish.point_current(base, current())


def bump():
    """Invalidate every cached page, now and again when the transaction commits.

    The first bump covers the rest of this request and autocommit; the second closes the window
    in which another request could read the old rows (not yet committed) and cache them under
    the new generation.
    """
    _bump()
    transaction.on_commit(_bump, robust=True)
