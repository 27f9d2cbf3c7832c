"""The next instant at which what readers see changes by itself, with no edit to bump the
generation: a scheduled article's publication time, an article's expiry, a breaking-news
banner's start or end. Cached pages must not outlive it."""

from django.core.cache import cache
from django.db.models import Min, Q
from django.utils import timezone

from articles.models import Article
from frontpage.models import BreakingNews


def _next_instant(now):
    published = Article.objects.filter(status=Article.Status.PUBLISHED)
    candidates = [
        published.filter(published_at__gt=now).aggregate(at=Min("published_at"))["at"],
        published.filter(expires_at__gt=now).aggregate(at=Min("expires_at"))["at"],
    ]
    banners = BreakingNews.objects.filter(is_active=True, expires_at__gt=now).aggregate(
        starts=Min("starts_at", filter=Q(starts_at__gt=now)), ends=Min("expires_at")
    )
    candidates += [banners["starts"], banners["ends"]]
    return min((at for at in candidates if at is not None), default=None)


def seconds_until_next_change(generation, limit):
    """Seconds (at most ``limit``) until the next scheduled change, from the cache if known.

    Computed once per generation (an edit may add or move a scheduled time, and bumps it) and
    again once that instant has passed.
    """
    now = timezone.now()
    key = f"pagecache:{generation}:next-change"
    entry = cache.get(key)
    if entry is None or (entry["at"] is not None and entry["at"] <= now):
        entry = {"at": _next_instant(now)}
        timeout = limit if entry["at"] is None else (entry["at"] - now).total_seconds()
        cache.set(key, entry, max(1, min(limit, int(timeout))))
    if entry["at"] is None:
        return limit
    return max(0, min(limit, int((entry["at"] - now).total_seconds())))
