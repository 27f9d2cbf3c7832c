"""Reads of reader pages go to a replica; the admin, staff and anything after a write do not."""

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Section
from core.db_router import ReplicaRouter, reader_request

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica1"])


@pytest.fixture
def replicas(settings):
    settings.DATABASE_REPLICAS = ["replica1"]


def captured(client, url):
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica1"]) as replica,
    ):
        response = client.get(url)
    return response, len(primary), len(replica)


def test_reader_pages_read_from_the_replica(client, replicas, make_article):
    article = make_article(headline="خبر من النسخة")
    for url in ["/search/?q=خبر", "/", "/latest/", "/feed/", article.get_absolute_url()]:
        response, primary, replica = captured(client, url)
        assert response.status_code == 200, url
        assert primary == 0 and replica > 0, url
    assert "خبر من النسخة" in response.content.decode()


def test_admin_and_staff_use_the_primary(client, replicas, make_user, make_article):
    article = make_article()
    client.force_login(make_user("editor"))
    for url in ["/admin/articles/article/", article.get_absolute_url()]:
        response, primary, replica = captured(client, url)
        assert response.status_code == 200
        assert primary > 0 and replica == 0, url


def test_the_beacon_writes_and_reads_on_the_primary(client, replicas, make_article):
    article = make_article()
    with CaptureQueriesContext(connections["replica1"]) as replica:
        assert client.post(f"/read/{article.pk}/").status_code == 204
    assert len(replica) == 0


def test_reads_after_a_write_in_the_same_request_go_to_the_primary(replicas, db):
    router = ReplicaRouter()
    assert router.db_for_read(Article) == "default"  # outside a reader request
    with reader_request():
        assert router.db_for_read(Article) == "replica1"
        Section.objects.create(name="قسم مكتوب", slug="قسم-مكتوب")
        assert router.db_for_read(Article) == "default"
        assert Section.objects.filter(slug="قسم-مكتوب").exists()
    assert router.allow_migrate("replica1", "articles") is False
    assert router.allow_migrate("default", "articles") is True


def test_without_replicas_everything_uses_the_primary(client, make_article):
    article = make_article()
    response, primary, replica = captured(client, article.get_absolute_url())
    assert response.status_code == 200 and primary > 0 and replica == 0
