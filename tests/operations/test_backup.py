"""Backup and restore round-trip a newsroom: articles, revisions, masthead, media."""

import datetime
from io import StringIO

import psycopg2
import pytest
import reversion
from django.core.management import CommandError, call_command
from django.db import connection
from psycopg2 import sql

from articles.events import content_changed
from articles.models import Article


def _admin_connection():
    db = connection.settings_dict
    raw = psycopg2.connect(
        dbname="postgres", user=db["USER"], host=db["HOST"], port=db["PORT"],
        password=db.get("PASSWORD") or None,
    )  # fmt: skip
    raw.autocommit = True
    return raw


@pytest.fixture
def scratch_database():
    name = f"{connection.settings_dict['NAME']}_restore"
    raw = _admin_connection()
    with raw.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield name
    with raw.cursor() as cursor:
        cursor.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
    raw.close()


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip(
    make_article, make_author, roles, make_term, settings, tmp_path, scratch_database
):
    author = make_author(name="كاتبة النسخ الاحتياطي")
    articles = []
    for number in range(3):
        with reversion.create_revision():
            article = make_article(
                headline=f"خبر محفوظ {number}",
                body=f"<p>نص الخبر رقم {number} مع <strong>تنسيق</strong>.</p>",
                authors=[author],
            )
        with reversion.create_revision():
            article.body += "<p>فقرة مضافة في نسخة ثانية.</p>"
            article.save()
        articles.append(article)
    make_term(roles["editor"], "رئيس تحرير الاختبار", datetime.date(2020, 1, 1))
    photo = settings.MEDIA_ROOT / "uploads" / "2024" / "photo.jpg"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(b"\xff\xd8 not really a jpeg \xff\xd9")

    out = StringIO()
    call_command("backup", str(tmp_path / "backups"), stdout=out)
    assert "3 article(s)" in out.getvalue()
    (backup,) = (tmp_path / "backups").iterdir()

    settings.MEDIA_ROOT = tmp_path / "restored-media"
    out = StringIO()
    announced = []

    def receive(sender, label, pks, **kwargs):
        announced.append((label, pks))

    content_changed.connect(receive, weak=False, dispatch_uid="test-restore-announced")
    try:
        call_command("restore", str(backup), "--database", scratch_database, stdout=out)
    finally:
        content_changed.disconnect(dispatch_uid="test-restore-announced")
    assert "row counts match" in out.getvalue()
    # Whole tables, no article saved one by one: one announcement that everything changed.
    assert announced == [(None, None)]
    assert (settings.MEDIA_ROOT / "uploads" / "2024" / "photo.jpg").read_bytes() == (
        photo.read_bytes()
    )

    db = connection.settings_dict
    restored = psycopg2.connect(
        dbname=scratch_database, user=db["USER"], host=db["HOST"], port=db["PORT"]
    )
    with restored, restored.cursor() as cursor:
        cursor.execute("SELECT id, body, headline FROM articles_article ORDER BY id")
        rows = cursor.fetchall()
        cursor.execute("SELECT count(*) FROM reversion_version")
        versions = cursor.fetchone()[0]
        cursor.execute("SELECT person_name FROM articles_mastheadterm")
        people = {row[0] for row in cursor.fetchall()}
    restored.close()
    assert rows == [(a.pk, a.body, a.headline) for a in Article.objects.order_by("pk")]
    assert versions >= 6
    assert "رئيس تحرير الاختبار" in people

    # A second restore into the now-filled database is refused: nothing is overwritten.
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(backup), "--database", scratch_database, stdout=StringIO())
