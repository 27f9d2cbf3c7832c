"""Every query of the public pages can be served by an index (check_query_plans)."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article
from benchmarks.management.commands.check_query_plans import Command


def test_every_public_query_has_an_index_to_use(
    make_section, make_article, make_author, make_tag, capsys
):
    section = make_section()
    authors = [make_author() for _ in range(2)]
    tags = [make_tag(f"وسم {n}") for n in range(2)]
    for days in range(0, 40, 4):
        make_article(
            headline=f"خبر الموازنة رقم {days}",
            section=section,
            authors=authors,
            tags=tags,
            published_at=datetime.datetime(2016, 3, 1, tzinfo=datetime.UTC)
            + datetime.timedelta(days=days),
        )
    make_article(headline="أحدث خبر الموازنة", section=section, authors=authors, tags=tags)
    call_command("check_query_plans", no_seqscan=True)
    out = capsys.readouterr().out
    assert "with a Seq Scan" in out and ", 0 with a Seq Scan." in out
    assert "/latest/?page=400: 404" in out


def test_a_sequential_scan_is_detected(make_article):
    make_article(headline="خبر وحيد")
    # No index covers the body: even with enable_seqscan off, the table is read in full.
    sql = "SELECT id FROM articles_article WHERE body = 'x'"
    for no_seqscan in (False, True):
        scans = Command.explain(sql, no_seqscan)
        assert [scan["Relation Name"] for scan in scans] == ["articles_article"]
    assert (
        Command.explain(
            f"SELECT id FROM articles_article WHERE id = {Article.objects.get().pk}", False
        )
        == []
    )


def test_no_article_is_an_error(db):
    with pytest.raises(CommandError, match="generate_articles"):
        call_command("check_query_plans")
