"""The read counter on the real Redis: rate limit, dedup, buffer, batched flush."""

import io
import logging
import math
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from frontpage import reads
from frontpage.models import HourlyRead, ReadFlush
from frontpage.reads import read_record
from frontpage.services import most_read


@pytest.fixture
def counter(real_redis, settings):
    """The beacon's buffer in the real Redis (a key prefix of this test's own), addresses
    taken from X-Forwarded-For as behind the newsroom's proxy."""
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    return real_redis


def beacon(client, article, address):
    return client.post(f"/read/{article.pk}/", HTTP_X_FORWARDED_FOR=address)


def reads_of(article):
    return sum(HourlyRead.objects.filter(article=article).values_list("count", flat=True))


def address(number):
    return f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"


def test_ten_thousand_beacons_from_one_client_move_most_read_by_one(
    counter, settings, client, make_article, caplog
):
    caplog.set_level(logging.ERROR, logger="django.request")  # not 9,760 "Too Many Requests"
    rival, target = make_article(headline="الخبر الأول"), make_article(headline="خبر مستهدف")
    for number in range(3):
        beacon(client, rival, address(number))
    started = time.monotonic()
    statuses = [beacon(client, target, "203.0.113.9").status_code for _ in range(10_000)]
    elapsed = time.monotonic() - started
    call_command("flush_reads")
    # The stated allowance: one read per address and article per READ_DEDUP_SECONDS.
    allowance = 1 + math.floor(elapsed / settings.READ_DEDUP_SECONDS)
    assert 1 <= reads_of(target) <= allowance
    # The rate limit refused the loop long before the dedup had to.
    limit, window = (int(part) for part in settings.READ_BEACON_RATE.split("/"))
    assert statuses.count(204) <= limit * (1 + math.ceil(elapsed / window))
    assert set(statuses) == {204, 429}
    assert [entry["headline"] for entry in most_read("day")] == ["الخبر الأول", "خبر مستهدف"]
    print(f"10,000 beacons in {elapsed:.1f} s: {statuses.count(204)} accepted, counted 1")


def test_many_clients_reads_are_all_counted_after_a_flush(counter, client, make_article):
    first, second = make_article(), make_article()
    for number in range(400):
        assert beacon(client, first, address(number)).status_code == 204
        if number % 2:
            assert beacon(client, second, address(number)).status_code == 204
    # Only the first beacon flushed (lazily, the interval had not started): the rest waits.
    assert reads_of(first) + reads_of(second) <= 1
    call_command("flush_reads")
    assert (reads_of(first), reads_of(second)) == (400, 200)


def test_a_flush_writes_every_article_in_one_statement(
    counter, client, make_article, django_assert_num_queries
):
    articles = [make_article() for _ in range(30)]
    beacon(client, articles[0], address(0))  # the lazy flush of a new interval
    for number, article in enumerate(articles, start=1):
        for reader in range(number):
            beacon(client, article, address(1000 * number + reader))
    with django_assert_num_queries(1):
        assert reads.flush_reads() == 30
    assert [reads_of(article) for article in articles] == [2, *range(2, 31)]
    assert ReadFlush.objects.count() == 2  # the lazy flush's batch and this one
    with django_assert_num_queries(0):
        assert reads.flush_reads() == 0


def test_an_interrupted_flush_counts_nothing_twice(counter, client, make_article):
    article = make_article()
    beacon(client, article, address(0))  # flushed at once: the interval starts
    for number in range(1, 6):
        beacon(client, article, address(number))
    # A flusher dies after its counts reached PostgreSQL, before it removed the batch.
    token, fields = reads.take_batch()
    reads.write_batch(token, fields)
    assert reads_of(article) == 6
    # Reads keep arriving meanwhile; the next flush finds the old batch, then the new one.
    for number in range(6, 9):
        beacon(client, article, address(number))
    call_command("flush_reads")
    assert reads_of(article) == 9
    # A flusher that dies before writing: the batch is written once, by the next flush.
    beacon(client, article, address(9))
    assert reads.take_batch() is not None
    call_command("flush_reads")
    call_command("flush_reads")
    assert reads_of(article) == 10


def test_most_read_flushes_the_buffer_before_recomputing(counter, client, make_article):
    article = make_article()
    beacon(client, article, address(0))
    for number in range(1, 4):
        beacon(client, article, address(number))
    assert reads_of(article) == 1
    counter._cache.get_client(write=True).delete(counter.make_key(reads.FLUSH_DUE))
    assert [entry["reads"] for entry in most_read("day")] == [4]


def test_reads_of_an_article_deleted_before_the_flush_are_dropped(counter, client, make_article):
    kept, gone = make_article(), make_article()
    beacon(client, kept, address(0))
    beacon(client, kept, address(1))
    beacon(client, gone, address(1))
    gone.delete()
    assert reads.flush_reads() == 1
    assert reads_of(kept) == 2


def test_beacon_drops_reads_with_a_log_line_while_redis_is_down(
    settings, client, make_article, caplog, monkeypatch
):
    monkeypatch.setitem(reads._outage, "down", False)  # logged once per outage
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.FailSoftRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    article = make_article()
    with caplog.at_level(logging.ERROR, logger="frontpage.reads"):
        statuses = {client.post(f"/read/{article.pk}/").status_code for _ in range(3)}
    assert statuses == {204}
    assert not HourlyRead.objects.exists()
    assert "reads are dropped" in caplog.text
    # The direct write is still there for a site without Redis.
    assert read_record(article_id=article.pk)
    assert client.post("/read/999999/").status_code == 404


def test_prune_reads_forgets_old_batch_tokens_only(db):
    old = ReadFlush.objects.create(token="old")
    ReadFlush.objects.filter(pk=old.pk).update(flushed_at=timezone.now() - timedelta(days=9))
    ReadFlush.objects.create(token="recent")
    call_command("prune_reads", stdout=io.StringIO())
    assert list(ReadFlush.objects.values_list("token", flat=True)) == ["recent"]
