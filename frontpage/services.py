import datetime
import logging

from django.core.cache import cache
from django.dispatch import receiver
from django.utils import timezone

from articles.events import article_changed
from articles.models import Article

from .models import HourlyRead
from .reads import flush_if_due

logger = logging.getLogger(__name__)

MOST_READ_WINDOWS = {"day": datetime.timedelta(hours=24), "week": datetime.timedelta(days=7)}
MOST_READ_COUNT = 5
# The block is the same for every reader: recompute it at most this often, and at once after
# a change to an article readers could see (forget_most_read).
MOST_READ_CACHE_SECONDS = 300


def _most_read_key(window):
    return f"frontpage:most-read:{window}"


@receiver(article_changed, dispatch_uid="frontpage-forget-most-read")
def forget_most_read(sender, change, **kwargs):
    """Drop the cached most-read blocks when an article readers could see changed: a takedown
    must leave the block at once, an edited headline too. Connected before the front cache's
    purge (frontpage comes first in INSTALLED_APPS), so a page refetched after the purge
    computes the block afresh."""
    if not change.was_public:
        return  # a new publication has no reads yet
    try:
        cache.delete_many([_most_read_key(window) for window in MOST_READ_WINDOWS])
    except Exception:
        logger.warning("cache unavailable while dropping the most-read blocks", exc_info=True)


def most_read(window):
    """The most-read block for ``window`` ("day" or "week"), cached, as plain dicts.

    The cache is an optimisation only: if it fails (Redis down), the block is computed from
    the database and the page is still served.
    """
    key = _most_read_key(window)
    try:
        cached = cache.get(key)
    except Exception:  # any cache backend error; the database answers instead
        logger.warning("cache unavailable while reading %s", key, exc_info=True)
        cached = None
    if cached is not None:
        return cached
    # Reads buffered in Redis count before the block is recomputed (at most once per
    # READS_FLUSH_SECONDS, whichever process gets there first).
    flush_if_due()
    since = timezone.now() - MOST_READ_WINDOWS[window]
    entries = [
        {
            "id": article.pk,
            "headline": article.headline,
            "url": article.get_absolute_url(),
            "published_at": article.published_at,
            "reads": article.reads,
        }
        for article in HourlyRead.objects.most_read(since=since, limit=MOST_READ_COUNT)
    ]
    try:
        cache.set(key, entries, MOST_READ_CACHE_SECONDS)
    except Exception:
        logger.warning("cache unavailable while writing %s", key, exc_info=True)
    return entries


def front_page_stories(count):
    """The top ``count`` stories: the editors' slots in order, then the latest published.

    A chosen article that is not (or no longer) published is skipped, and the gap is filled
    by the latest published articles, so the front page is never empty or stale.
    """
    curated = list(
        Article.objects.published()
        .for_readers()
        .filter(front_page_slots__isnull=False)
        .select_related("section")
        .order_by("front_page_slots__position", "front_page_slots__id")[:count]
    )
    chosen = {article.pk for article in curated}
    latest = Article.objects.published().for_readers().select_related("section")[:count]
    return (curated + [article for article in latest if article.pk not in chosen])[:count]
