"""Who else has the article open, and the autosave of unsaved text."""

import datetime
import json
import re

import time_machine
from django.test import Client
from django.utils import timezone

from articles.models import Article
from tests.workflow_helpers import article_data, change_url
from workflow.models import Autosave

Status = Article.Status


def test_an_editor_is_told_who_else_has_the_article_open(client, make_user, make_article):
    first = make_user("editor", first_name="هالة", last_name="سعيد")
    second = make_user("editor")
    article = make_article(status=Status.DRAFT, published_at=None)
    client.force_login(first)
    assert client.get(change_url(article)).context["others_editing"] == []
    other = Client()
    other.force_login(second)
    response = other.get(change_url(article))
    assert response.context["others_editing"] == ["هالة سعيد"]
    # The open form pings; the answer names the others.
    response = client.post(f"/admin/articles/article/{article.pk}/presence/")
    assert response.json() == {"others": [second.username]}
    later = timezone.now() + datetime.timedelta(minutes=10)
    with time_machine.travel(later, tick=False):
        assert other.get(change_url(article)).context["others_editing"] == []


def test_presence_is_only_for_those_who_may_change_the_article(client, make_user, make_article):
    writer = make_user("writer")
    article = make_article(status=Status.DRAFT, published_at=None)
    client.force_login(writer)
    assert client.post(f"/admin/articles/article/{article.pk}/presence/").status_code in (403, 404)


def restorable(html):
    """The autosaved fields the page hands to the restore button."""
    script = re.search(
        r'<script id="workflow-autosave-data" type="application/json">(.*?)</script>', html
    )
    return json.loads(script.group(1))


def autosave(client, **fields):
    return client.post("/admin/articles/article/autosave/", fields)


def test_autosave_keeps_unsaved_text_and_the_form_offers_it_back(client, make_user, make_article):
    editor = make_user("editor")
    article = make_article(status=Status.DRAFT, published_at=None)
    client.force_login(editor)
    response = autosave(
        client, article=article.pk, headline="عنوان لم يُحفظ", body="<p>نص طويل كتبه المحرر</p>"
    )
    assert response.status_code == 200 and "saved_at" in response.json()
    saved = Autosave.objects.get(user=editor, article=article)
    assert saved.data["headline"] == ["عنوان لم يُحفظ"]
    article.refresh_from_db()
    assert article.headline != "عنوان لم يُحفظ"  # kept apart from the article and its revisions
    response = client.get(change_url(article))
    html = response.content.decode()
    assert "لديك نص لم يُحفظ" in html and "استعِده" in html
    # The script's fallback when the server cannot take the text (an expired login).
    assert 'id="workflow-offline"' in html and 'id="workflow-local-autosave"' in html
    assert restorable(html)["body"] == ["<p>نص طويل كتبه المحرر</p>"]
    # A real save makes the autosave obsolete.
    assert client.post(change_url(article), article_data(article)).status_code == 302
    assert not Autosave.objects.exists()
    assert "لديك نص لم يُحفظ" not in client.get(change_url(article)).content.decode()


def test_an_autosave_of_a_new_article_is_offered_on_the_add_form(client, make_user, make_section):
    writer = make_user("writer")
    section = make_section()
    client.force_login(writer)
    assert autosave(client, headline="بداية مقال جديد", section=section.pk).status_code == 200
    assert autosave(client, headline="بداية مقال جديد، أطول", section=section.pk).status_code == 200
    saved = Autosave.objects.get()
    assert saved.article is None and saved.data["headline"] == ["بداية مقال جديد، أطول"]
    html = client.get("/admin/articles/article/add/").content.decode()
    assert "لديك نص لم يُحفظ" in html
    assert restorable(html)["headline"] == ["بداية مقال جديد، أطول"]
    response = autosave(client, discard="1")
    assert response.json() == {"discarded": True} and not Autosave.objects.exists()


def test_an_autosave_older_than_the_article_is_not_offered(client, make_user, make_article):
    editor = make_user("editor")
    article = make_article(status=Status.DRAFT, published_at=None)
    Autosave.objects.create(
        user=editor,
        article=article,
        data={"headline": ["قديم"]},
        saved_at=article.updated_at - datetime.timedelta(minutes=5),
    )
    client.force_login(editor)
    assert "لديك نص لم يُحفظ" not in client.get(change_url(article)).content.decode()


def test_autosave_refuses_others_articles_gets_and_missing_csrf(make_user, make_article):
    writer = make_user("writer")
    others = make_article(status=Status.DRAFT, published_at=None)
    client = Client()
    client.force_login(writer)
    assert autosave(client, article=others.pk, headline="تسلل").status_code == 404
    assert client.get("/admin/articles/article/autosave/").status_code == 403
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(writer)
    assert autosave(strict, headline="بلا رمز حماية").status_code == 403
    assert not Autosave.objects.exists()
