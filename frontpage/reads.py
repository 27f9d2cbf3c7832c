"""The read counter behind the beacon: deduplicated, buffered in Redis, written in batches.

A read is counted at most once per client address and article within ``READ_DEDUP_SECONDS``
(the address is kept only as a hash inside a key that expires then; no cookie, nothing stored
about the reader), on top of the per-address rate limit (``READ_BEACON_RATE``). Counted reads
go to one Redis hash, field ``<article id>:<hour>``; ``flush_reads()`` moves that hash aside
atomically and writes it to ``HourlyRead`` in one statement (one row write per article and
hour), at most every ``READS_FLUSH_SECONDS``: lazily by the first beacon after the interval
and when "most read" is recomputed, or by ``manage.py flush_reads`` on a timer.

What can be lost: the buffer lives in Redis only, so a Redis restart without persistence
loses the reads counted since the last flush, at most ``READS_FLUSH_SECONDS`` of them (plus a
batch whose flush failed and is waiting to be retried). While Redis is down, reads are
dropped with one log line per outage instead of written one by one: without Redis there is
no rate limit and no dedup, so direct writes would be neither honest nor cheap, and a lost
stretch of reads lowers every article alike.

Nothing is counted twice when a flush is interrupted: each batch carries a token, and the
statement that adds its counts also records the token in ``ReadFlush``, so a batch retried
after its counts were written (the process died before removing it from Redis) writes
nothing.
"""

import datetime
import logging
import uuid

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.utils import timezone
from django.utils.crypto import salted_hmac
from redis.exceptions import RedisError

from articles.models import Article

from .models import HourlyRead, ReadFlush

logger = logging.getLogger(__name__)

PENDING = "reads:pending"
FLUSHING = "reads:flushing"
FLUSH_DUE = "reads:flush-due"
# A field of the batch hash that can never be an "<id>:<hour>" field.
TOKEN_FIELD = "batch"

# Dedup, count and "is a flush due" in one round trip, atomically.
_COUNT = """
if redis.call('SET', KEYS[1], '1', 'NX', 'EX', tonumber(ARGV[1])) then
  redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
end
if redis.call('SET', KEYS[3], '1', 'NX', 'EX', tonumber(ARGV[3])) then
  return 1
end
return 0
"""
# Hand the pending hash over to the flusher (or return the batch an interrupted flush left),
# stamped with its token; RENAME is atomic, so a beacon counts either in this batch or the next.
_TAKE = """
if redis.call('EXISTS', KEYS[2]) == 0 then
  if redis.call('EXISTS', KEYS[1]) == 0 then
    return false
  end
  redis.call('RENAME', KEYS[1], KEYS[2])
end
redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[2])
return redis.call('HGETALL', KEYS[2])
"""
# Remove the batch only if it is still the one just written (another flusher may have
# finished it and taken a new one meanwhile).
_RELEASE = """
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""

_outage = {"down": False}


def _redis():
    """The default cache's Redis client and backend, or (None, None) without a Redis cache."""
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return None, None
    # Django's RedisCache keeps its redis-py client behind _cache; the buffer shares its
    # connection pool, timeouts and key prefix instead of a second configuration.
    return backend._cache.get_client(write=True), backend


def _hour(at):
    hour = (at or timezone.now()).astimezone(datetime.UTC)
    return hour.replace(minute=0, second=0, microsecond=0)


def _dedup_key(article_id, address):
    # Keyed with SECRET_KEY: the few billion IPv4 addresses are no secret behind a plain hash.
    digest = salted_hmac("frontpage.reads", f"{article_id}|{address}").hexdigest()[:32]
    return f"reads:seen:{digest}"


def _log_outage(error):
    if not _outage["down"]:
        _outage["down"] = True
        logger.error("read counter: Redis unavailable, reads are dropped meanwhile: %s", error)


def read_record(*, article_id, at=None):
    """Count one read of a published article in its hourly bucket; False if not published.

    The beacon goes through ``record_read`` (rate limit, dedup, Redis buffer); this direct
    write serves a site without a Redis cache.

    One statement: the INSERT selects the article through ``published()``, so an unknown,
    draft or expired id counts nothing, and ON CONFLICT turns the row into an increment.
    Concurrent readers of the same hour serialise on one row only for the instant of the
    update; no read-modify-write in Python, no lost counts.
    """
    hour = (at or timezone.now()).astimezone(datetime.UTC)
    hour = hour.replace(minute=0, second=0, microsecond=0)
    published = Article.objects.published().filter(pk=article_id).values("pk")
    select_sql, params = published.query.sql_with_params()
    table = connection.ops.quote_name(HourlyRead._meta.db_table)
    sql = (
        f"INSERT INTO {table} (article_id, hour, count) "
        f"SELECT published.pk, %s, 1 FROM ({select_sql}) AS published(pk) "
        f"ON CONFLICT (article_id, hour) DO UPDATE SET count = {table}.count + 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [hour, *params])
        return cursor.rowcount == 1


def record_read(*, article_id, address, at=None):
    """Count one read of a published article from ``address``; False if not published.

    Without a Redis cache (one process in development) the read is written directly,
    deduplicated through the local cache in the same way.
    """
    if not Article.objects.published().filter(pk=article_id).exists():
        return False
    client, backend = _redis()
    if client is None:
        if cache.add(_dedup_key(article_id, address), 1, settings.READ_DEDUP_SECONDS):
            read_record(article_id=article_id, at=at)
        return True
    field = f"{article_id}:{int(_hour(at).timestamp())}"
    keys = [backend.make_key(_dedup_key(article_id, address)), backend.make_key(PENDING)]
    keys.append(backend.make_key(FLUSH_DUE))
    args = [settings.READ_DEDUP_SECONDS, field, settings.READS_FLUSH_SECONDS]
    try:
        due = client.register_script(_COUNT)(keys=keys, args=args)
    except RedisError as error:
        _log_outage(error)
        return True
    if _outage["down"]:
        _outage["down"] = False
        logger.warning("read counter: Redis available again")
    if due:
        try:
            flush_reads()
        except Exception:  # the batch stays in Redis for the next flush; the reader is served
            logger.exception("read counter: lazy flush failed")
    return True


def flush_if_due():
    """Flush unless a flush ran within ``READS_FLUSH_SECONDS`` (for "most read")."""
    client, backend = _redis()
    if client is None:
        return 0
    try:
        due = client.set(backend.make_key(FLUSH_DUE), 1, nx=True, ex=settings.READS_FLUSH_SECONDS)
        return flush_reads() if due else 0
    except Exception:  # "most read" is still served from what PostgreSQL holds
        logger.warning("read counter: flush skipped", exc_info=True)
        return 0


def flush_reads(*, max_batches=3):
    """Write the buffered counts to PostgreSQL; return how many hourly rows were written.

    A batch left by an interrupted flush goes first, then the pending one; ``max_batches``
    keeps a flush finite while beacons keep arriving.
    """
    written = 0
    for _ in range(max_batches):
        batch = take_batch()
        if batch is None:
            break
        written += write_batch(*batch)
        release_batch(batch[0])
    return written


def take_batch():
    """The batch to write as (token, fields): a leftover one, else the pending reads."""
    client, backend = _redis()
    if client is None:
        return None
    keys = [backend.make_key(PENDING), backend.make_key(FLUSHING)]
    batch = client.register_script(_TAKE)(keys=keys, args=[TOKEN_FIELD, uuid.uuid4().hex])
    if not batch:
        return None
    fields = dict(zip(batch[::2], batch[1::2], strict=True))
    return fields.pop(TOKEN_FIELD.encode()).decode(), fields


def release_batch(token):
    """Forget a batch once its counts are in PostgreSQL."""
    client, backend = _redis()
    client.register_script(_RELEASE)(keys=[backend.make_key(FLUSHING)], args=[TOKEN_FIELD, token])


def write_batch(token, fields):
    """Add one batch (``{b"<id>:<hour>": b"<count>"}``) to the hourly counts, once per token.

    One statement: the CTE records the token and yields a row only the first time, so the
    counts are added by exactly one of any number of attempts; articles deleted since their
    reads were counted are left out by the join.
    """
    if not fields:
        return 0
    ids, hours, counts = [], [], []
    for field, count in fields.items():
        article_id, hour = field.decode().split(":")
        ids.append(int(article_id))
        hours.append(datetime.datetime.fromtimestamp(int(hour), tz=datetime.UTC))
        counts.append(int(count))
    quote = connection.ops.quote_name
    reads, flushes = quote(HourlyRead._meta.db_table), quote(ReadFlush._meta.db_table)
    articles = quote(Article._meta.db_table)
    sql = (
        f"WITH batch AS (INSERT INTO {flushes} (token) VALUES (%s) "
        f"ON CONFLICT (token) DO NOTHING RETURNING token) "
        f"INSERT INTO {reads} (article_id, hour, count) "
        f"SELECT buffered.article_id, buffered.hour, buffered.count "
        f"FROM unnest(%s::bigint[], %s::timestamptz[], %s::integer[]) "
        f"AS buffered(article_id, hour, count) "
        f"JOIN {articles} AS article ON article.id = buffered.article_id "
        f"WHERE EXISTS (SELECT 1 FROM batch) "
        f"ON CONFLICT (article_id, hour) DO UPDATE SET count = {reads}.count + EXCLUDED.count"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [token, ids, hours, counts])
        return cursor.rowcount
