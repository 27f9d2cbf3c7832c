"""Previews: staff see any draft as readers will; a signed link shows one draft until it expires."""

import datetime
import json
import re

import time_machine
from django.core import signing
from django.utils import timezone

from articles.models import Article
from workflow.preview import share_url

Status = Article.Status


def test_staff_preview_shows_a_draft_as_readers_will_see_it(
    client, make_user, make_article, make_author
):
    editor = make_user("editor")
    article = make_article(
        status=Status.DRAFT, published_at=None, headline="مسودة لم تنشر", authors=[make_author()]
    )
    assert client.get(article.get_absolute_url()).status_code == 404
    client.force_login(editor)
    response = client.get(f"/preview/{article.pk}/")
    assert response.status_code == 200
    assert response.templates[0].name == "articles/article_detail.html"
    html = response.content.decode()
    assert "مسودة لم تنشر" in html and article.ordered_authors()[0].name in html
    assert '<meta name="robots" content="noindex">' in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "private" in response["Cache-Control"]


def test_the_change_page_links_to_the_preview(client, make_user, make_article):
    editor = make_user("editor")
    article = make_article(status=Status.DRAFT, published_at=None)
    client.force_login(editor)
    html = client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert f'href="/preview/{article.pk}/"' in html


def test_staff_preview_needs_a_login_and_the_right_to_see_the_article(
    client, make_user, make_article
):
    writer = make_user("writer")
    others = make_article(status=Status.DRAFT, published_at=None)
    own = make_article(status=Status.DRAFT, published_at=None, created_by=writer)
    response = client.get(f"/preview/{own.pk}/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(writer)
    assert client.get(f"/preview/{own.pk}/").status_code == 200
    assert client.get(f"/preview/{others.pk}/").status_code == 404


def create_share_link(client, article, hours="24"):
    response = client.post(f"/admin/articles/article/{article.pk}/share/", {"hours": hours})
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    return messages


def test_an_editor_creates_a_share_link_that_works_without_login(client, make_user, make_article):
    editor = make_user("editor")
    draft = make_article(status=Status.DRAFT, published_at=None, headline="مسودة للمشاركة")
    other = make_article(status=Status.DRAFT, published_at=None, headline="مسودة أخرى سرية")
    client.force_login(editor)
    [message] = create_share_link(client, draft)
    url = re.search(r"http://testserver(/preview/share/\S+/)", message).group(1)
    client.logout()
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "مسودة للمشاركة" in html and "مسودة أخرى سرية" not in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"
    # The link is for that draft only: pointing its payload at another one breaks the signature.
    token = url.split("/")[-2]
    payload, signature = token.split(":", 1)
    data = json.loads(signing.b64_decode(payload.encode()))
    forged = signing.b64_encode(json.dumps({**data, "a": other.pk}).encode()).decode()
    response = client.get(f"/preview/share/{forged}:{signature}/")
    assert response.status_code == 404 and "مسودة أخرى سرية" not in response.content.decode()
    assert "رابط المعاينة غير صحيح" in response.content.decode()


def test_a_share_link_expires(client, make_article):
    draft = make_article(status=Status.DRAFT, published_at=None, headline="مسودة مؤقتة")
    expires = timezone.now() + datetime.timedelta(hours=2)
    url = share_url(draft, expires)
    with time_machine.travel(expires - datetime.timedelta(seconds=5), tick=False):
        assert client.get(url).status_code == 200
    with time_machine.travel(expires + datetime.timedelta(seconds=1), tick=False):
        response = client.get(url)
        assert response.status_code == 410
        html = response.content.decode()
        assert "انتهت صلاحية رابط المعاينة" in html and "مسودة مؤقتة" not in html


def test_only_editors_create_share_links_and_hours_are_checked(client, make_user, make_article):
    writer = make_user("writer")
    own = make_article(status=Status.DRAFT, published_at=None, created_by=writer)
    client.force_login(writer)
    response = client.post(f"/admin/articles/article/{own.pk}/share/", {"hours": "24"})
    assert response.status_code == 403
    assert (
        "أنشئ الرابط"
        not in client.get(f"/admin/articles/article/{own.pk}/change/").content.decode()
    )
    client.force_login(make_user("editor"))
    for bad in ["0", "100000", "غدا"]:
        message = create_share_link(client, own, hours=bad)[-1]
        assert "مدة الرابط بين ساعة" in message
    assert client.get(f"/admin/articles/article/{own.pk}/share/").status_code == 403
