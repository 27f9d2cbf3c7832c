"""The next instant at which what readers see changes by itself, with no edit to purge it: a
scheduled article's publication time, an article's expiry, a breaking-news banner's start or
end. No cached page may outlive it (``frontcache.middleware`` bounds each page's ``s-maxage``
by it), so scheduled changes reach readers on time without a cron job purging anything.

The instant is the same for every page, so it is looked up once and kept in the shared cache
until it passes or a write may have moved it. A write announces itself after commit
(``articles.events``) and then moves the *stamp*; the kept instant is used only under the stamp
read before the database was, so a lookup that read the rows before an edit committed is never
used after it.
"""

import logging
import time

from django.core.cache import cache
from django.db.models import Min, Q
from django.dispatch import receiver
from django.utils import timezone

from articles.events import article_changed, content_changed
from articles.models import Article
from frontpage.models import BreakingNews

STAMP_KEY = "frontcache:schedule-stamp"
NEXT_KEY = "frontcache:next-change"

logger = logging.getLogger(__name__)


def _next_instant(now):
    articles = Article.objects.filter(status=Article.Status.PUBLISHED).aggregate(
        starts=Min("published_at", filter=Q(published_at__gt=now)),
        ends=Min("expires_at", filter=Q(expires_at__gt=now)),
    )
    banners = BreakingNews.objects.filter(is_active=True, expires_at__gt=now).aggregate(
        starts=Min("starts_at", filter=Q(starts_at__gt=now)), ends=Min("expires_at")
    )
    candidates = [articles["starts"], articles["ends"], banners["starts"], banners["ends"]]
    return min((at for at in candidates if at is not None), default=None)


def _remembered(now):
    """(stamp, kept entry or None); (None, None) if the cache cannot be reached."""
    try:
        found = cache.get_many([STAMP_KEY, NEXT_KEY])
        stamp = found.get(STAMP_KEY)
        if stamp is None:
            # Lost (eviction, a restarted Redis): restart above every stamp used before.
            cache.add(STAMP_KEY, time.time_ns(), timeout=None)
            stamp = cache.get(STAMP_KEY)
    except Exception:  # any cache backend error: look it up in the database
        logger.warning("cache unavailable while reading the next scheduled change", exc_info=True)
        return None, None
    entry = found.get(NEXT_KEY)
    if stamp is None or entry is None or entry["stamp"] != stamp:
        return stamp, None
    if entry["at"] is not None and entry["at"] <= now:
        return stamp, None
    return stamp, entry


def seconds_until_next_change(limit):
    """Whole seconds (0 to ``limit``) until the next scheduled change; ``limit`` if none is
    due sooner. The cache failing (Redis down) costs two queries, never an error."""
    now = timezone.now()
    stamp, entry = _remembered(now)
    if entry is None:
        entry = {"stamp": stamp, "at": _next_instant(now)}
        keep = limit if entry["at"] is None else (entry["at"] - now).total_seconds()
        if stamp is not None:
            try:
                cache.set(NEXT_KEY, entry, max(1, min(limit, int(keep))))
            except Exception:
                logger.warning("cache unavailable while keeping the next change", exc_info=True)
    if entry["at"] is None:
        return limit
    return max(0, min(limit, int((entry["at"] - now).total_seconds())))


@receiver(article_changed, dispatch_uid="frontcache-schedule-article")
@receiver(content_changed, dispatch_uid="frontcache-schedule-content")
def forget_next_change(sender, label=None, **kwargs):
    """Move the stamp after any article write (a publication time, an expiry or a status may
    have moved) and after a banner write or a restore."""
    if "change" not in kwargs and label not in ("frontpage.BreakingNews", None):
        return
    try:
        cache.incr(STAMP_KEY)
    except ValueError:  # missing: the next lookup starts a new one
        pass
    except Exception:  # the cache is down: nothing is kept there either
        logger.warning("cache unavailable while moving the schedule stamp", exc_info=True)
