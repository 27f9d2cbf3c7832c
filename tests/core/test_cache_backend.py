"""The production cache backend on the real Redis: a miss is a miss, an outage is a miss too."""

import uuid

import pytest

from core.cache import FailSoftRedisCache


@pytest.fixture
def real_redis():
    cache = FailSoftRedisCache(
        "redis://127.0.0.1:6379/0", {"KEY_PREFIX": f"backend-test-{uuid.uuid4().hex}"}
    )
    yield cache
    cache.delete_many(["counter", "missing"])


def test_incr_of_a_missing_key_is_djangos_value_error_not_an_outage(real_redis):
    with pytest.raises(ValueError):
        real_redis.incr("missing")
    real_redis.set("counter", 1)
    assert real_redis.incr("counter") == 2


def test_an_unreachable_redis_answers_like_an_empty_cache():
    cache = FailSoftRedisCache(
        "redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 0.2}}
    )
    assert cache.get("anything", "default") == "default"
    assert cache.add("key", 1) is False
    assert cache.incr("counter") is None
