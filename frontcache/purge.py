"""Exact purges: the keys an edit made stale leave every Varnish node, never lost.

Guarantee: a write announced through ``articles.events`` inside a transaction (the article
service, the admin, ``articles.services``) writes its ``PurgeRequest`` in that same
transaction (``article_changing`` / ``content_changing``): the record commits with the edit or
not at all. Once committed (``article_changed`` / ``content_changed``), every due record is
sent at once, so the editor's response returns after the purge. A node that is down, slow or
answers anything but 200 leaves the records pending with an exponential backoff (from
``FRONT_CACHE_RETRY_SECONDS`` up to ``MAX_BACKOFF``); they are sent again by the next
notification, by a request at most once per ``FRONT_CACHE_RETRY_SECONDS`` per process, or by
``manage.py purge_front_cache``. A burst is coalesced: all due records go as one PURGE per node
(split only where the header would grow too long). A purge runs twice at worst, never zero times.

Off when ``FRONT_CACHE_PURGE_URLS`` is empty: no record, no request.
"""

import dataclasses
import datetime
import http.client
import logging
import threading
import time
import urllib.request

from django.conf import settings
from django.dispatch import receiver
from django.utils import timezone

from articles.events import article_changed, article_changing, content_changed, content_changing
from articles.models import Article

from . import keys as surrogate
from .models import PurgeRequest

logger = logging.getLogger(__name__)

# Varnish refuses request headers over 8 KB (http_req_hdr_len); keys are split to stay below.
MAX_HEADER = 6000
MAX_BACKOFF = 300  # seconds between two attempts, at most
BATCH = 500  # records per round: a long outage's backlog is sent in a few rounds

# Straight to each node: a proxy named in the environment (http_proxy) must not carry PURGE.
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
_last_retry = 0.0
_retry_lock = threading.Lock()


def enabled():
    return bool(settings.FRONT_CACHE_PURGE_URLS)


def record(keys):
    """Write a pending purge of ``keys`` (in the caller's transaction)."""
    if keys and enabled():
        PurgeRequest.objects.create(keys=" ".join(sorted(keys)), next_attempt_at=timezone.now())


def _scheduled(article_id):
    return Article.objects.filter(
        pk=article_id, status=Article.Status.PUBLISHED, published_at__gt=timezone.now()
    ).exists()


@receiver(article_changing, dispatch_uid="frontcache-article-changing")
def _record_article_change(sender, change, **kwargs):
    if not enabled():
        return
    keys = surrogate.for_article_change(change)
    if not keys and not change.deleted and _scheduled(change.article_id):
        # Scheduled: readers see nothing yet, but the pages it will join were cached with a
        # lifetime that knew nothing of its time (frontcache.schedule); purged now, they are
        # fetched again with one that ends when it appears.
        keys = surrogate.for_article_change(dataclasses.replace(change, is_public=True))
    record(keys)


@receiver(content_changing, dispatch_uid="frontcache-content-changing")
def _record_content_change(sender, label, pks, **kwargs):
    record(surrogate.for_content_change(label, pks))


@receiver(article_changed, dispatch_uid="frontcache-article-changed")
@receiver(content_changed, dispatch_uid="frontcache-content-changed")
def _purge_after_commit(sender, **kwargs):
    if enabled():
        purge_pending()


def _batches(keys):
    batch, size = [], 0
    for key in sorted(keys):
        if batch and size + len(key) + 1 > MAX_HEADER:
            yield batch
            batch, size = [], 0
        batch.append(key)
        size += len(key) + 1
    if batch:
        yield batch


def send(keys, urls=None):
    """PURGE ``keys`` from every node; None if all answered 200, else what went wrong."""
    urls = settings.FRONT_CACHE_PURGE_URLS if urls is None else urls
    errors = []
    for url in urls:
        for batch in _batches(keys):
            request = urllib.request.Request(url, method="PURGE", headers={"xkey": " ".join(batch)})
            try:
                with _opener.open(request, timeout=settings.FRONT_CACHE_PURGE_TIMEOUT) as response:
                    response.read()
            # OSError: refused, reset, timed out, or HTTPError (an error status); HTTPException:
            # a node answering garbage.
            except (OSError, http.client.HTTPException) as error:
                errors.append(f"{url}: {error}")
                break  # this node again later, with every key
    if errors:
        logger.warning("front cache purge failed, will retry: %s", "; ".join(errors))
    return "; ".join(errors) or None


def backoff(attempts):
    """Seconds to wait after ``attempts`` failed attempts."""
    return min(MAX_BACKOFF, settings.FRONT_CACHE_RETRY_SECONDS * 2 ** (attempts - 1))


def purge_pending(*, due_only=True):
    """Send every due record (every record with ``due_only=False``) in coalesced PURGEs.

    Returns (records purged, records still pending).
    """
    now = timezone.now()
    pending = PurgeRequest.objects.all()
    if due_only:
        pending = pending.filter(next_attempt_at__lte=now)
    purged = failed = 0
    while records := list(pending.order_by("id")[:BATCH]):
        error = send({key for item in records for key in item.keys.split()})
        if error is None:
            PurgeRequest.objects.filter(pk__in=[item.pk for item in records]).delete()
            purged += len(records)
            continue
        for item in records:
            item.attempts += 1
            item.last_error = error[:2000]
            item.next_attempt_at = now + datetime.timedelta(seconds=backoff(item.attempts))
            item.save(update_fields=["attempts", "last_error", "next_attempt_at"])
        failed += len(records)
        break
    return purged, failed


def retry_if_due():
    """Send due records, at most once per FRONT_CACHE_RETRY_SECONDS in this process (called
    by each request, so pending purges go out soon after Varnish is back, with no cron)."""
    global _last_retry
    if not enabled():
        return
    now = time.monotonic()
    if now - _last_retry < settings.FRONT_CACHE_RETRY_SECONDS or not _retry_lock.acquire(
        blocking=False
    ):
        return
    try:
        _last_retry = now
        purge_pending()
    except Exception:
        # A reader's page is never an error because a purge could not be retried.
        logger.warning("front cache purge retry failed", exc_info=True)
    finally:
        _retry_lock.release()


def purge_now(keys):
    """Purge ``keys`` now, for writes that announce nothing (bulk commands): recorded first,
    so a node that is down gets them later like any other purge. Returns what
    ``purge_pending`` returns ((0, 0) when off)."""
    if not enabled() or not keys:
        return 0, 0
    record(keys)
    return purge_pending()


def purge_all():
    """Purge every keyed response from every node; None if done, else the error."""
    return send({surrogate.ALL})
